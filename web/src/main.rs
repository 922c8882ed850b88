//! The Waymark web app. Everything runs in this page: files are read with the browser's
//! File API, analysed by `waymark-core` compiled into this module, and never sent anywhere.

mod bench;
mod components;
mod download;
mod engine;
mod state;
mod views;
mod widget;

use components::filters::FilterBar;
use components::validation::ValidationSummary;
use engine::client::Engine;
use gloo::file::callbacks::FileReader;
use gloo::file::File;
use state::{filter_from_hash, hash_for, Action, AppState, Phase, View};
use std::cell::RefCell;
use std::rc::Rc;
use waymark_core::config::Config;
use web_sys::HtmlInputElement;
use yew::prelude::*;

fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

#[function_component(App)]
fn app() -> Html {
    let state = use_reducer(|| {
        let hash = current_hash();
        let view = View::from_hash(&hash);
        AppState {
            view,
            filter: filter_from_hash(&hash),
            target: view.target_from_hash(&hash),
            ..AppState::default()
        }
    });
    // Readers must live until their callbacks fire.
    let readers: Rc<RefCell<Vec<FileReader>>> = use_mut_ref(Vec::new);
    let dragging = use_state(|| false);
    let engine: Engine = {
        let dispatch = state.dispatcher();
        (*use_memo((), move |_| {
            Engine::start(Callback::from(move |response| {
                dispatch.dispatch(Action::Reply(response))
            }))
        }))
        .clone()
    };
    // The reducer decides every request (state::AppState::asked and ::person); each is posted
    // once, when its generation appears.
    {
        let engine = engine.clone();
        let asked = state.asked.clone();
        use_effect_with(asked.as_ref().map(|a| a.generation), move |_| {
            if let Some(asked) = asked {
                engine.send(asked.request, (*asked.files).clone());
            }
        });
    }
    {
        let engine = engine.clone();
        let question = state
            .person
            .as_ref()
            .filter(|p| p.answer == state::Lookup::Waiting)
            .map(|p| (p.generation, p.person.clone()));
        use_effect_with(question, move |question| {
            if let Some((generation, person)) = question.clone() {
                engine.send(
                    engine::protocol::Request::Person { generation, person },
                    Vec::new(),
                );
            }
        });
    }
    // The URL holds the filter: when the reducer changes it (restored settings, once the engine
    // has accepted them), the URL follows.
    use_effect_with(state.filter.clone(), |filter| {
        let hash = current_hash();
        if filter_from_hash(&hash) != *filter {
            if let Some(window) = web_sys::window() {
                let _ = window
                    .location()
                    .set_hash(&hash_for(View::from_hash(&hash), filter));
            }
        }
    });

    // The URL hash names the view (never data), so views can be bookmarked and the back button
    // works.
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|window| {
                gloo::events::EventListener::new(&window, "hashchange", move |_| {
                    let hash = current_hash();
                    let view = View::from_hash(&hash);
                    dispatch.dispatch(Action::Navigate(
                        view,
                        filter_from_hash(&hash),
                        view.target_from_hash(&hash),
                    ));
                })
            });
            move || drop(listener)
        });
    }

    // Edits apply to the filter in the URL now, which may be newer than this render's.
    let on_filter = Callback::from(move |edit: components::filters::FilterEdit| {
        let hash = current_hash();
        let mut filter = filter_from_hash(&hash);
        (edit.0)(&mut filter);
        if let Some(window) = web_sys::window() {
            let _ = window
                .location()
                .set_hash(&hash_for(View::from_hash(&hash), &filter));
        }
    });
    // The value view's settings: the whole analysis again, so every figure follows them.
    let reanalyse = {
        let dispatch = state.dispatcher();
        views::value::Reanalyse(Callback::from(move |config: Config| {
            dispatch.dispatch(Action::Reanalyse(config))
        }))
    };
    let on_presentation = {
        let dispatch = state.dispatcher();
        Callback::from(move |event: Event| {
            if let Some(input) = event.target_dyn_into::<HtmlInputElement>() {
                dispatch.dispatch(Action::SetPresentation(input.checked()));
            }
        })
    };
    let on_save_settings = {
        let loaded = state.loaded.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(loaded) = &loaded {
                if let Ok(json) = serde_json::to_string_pretty(&*loaded.config) {
                    download::download_text(
                        "waymark-settings.json",
                        &json,
                        download::Download::Json,
                    );
                }
            }
        })
    };
    let on_restore_settings = {
        let dispatch = state.dispatcher();
        let readers = readers.clone();
        Callback::from(move |event: Event| {
            let Some(input) = event.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            let Some(file) = input.files().and_then(|l| l.get(0)).map(File::from) else {
                return;
            };
            let dispatch = dispatch.clone();
            let reader = gloo::file::callbacks::read_as_text(&file, move |result| {
                let parsed = result.map_err(|e| e.to_string()).and_then(|text| {
                    serde_json::from_str::<Config>(&text).map_err(|e| e.to_string())
                });
                dispatch.dispatch(match parsed {
                    Err(err) => Action::Fail(format!("These settings cannot be used: {err}")),
                    Ok(config) => Action::RestoreSettings(config),
                });
            });
            readers.borrow_mut().push(reader);
        })
    };

    // A new mapping: the engine reads the files again (the demo data from the kept bytes, the
    // user's files from their handles).
    let on_apply_mapping = {
        let dispatch = state.dispatcher();
        let loaded = state.loaded.clone();
        Callback::from(move |mapping: waymark_core::MappingConfig| {
            let Some(loaded) = &loaded else { return };
            // The editor sets each file's reading and the value mapping; file-wide choices (date
            // order, goal scale, status orders, perhaps restored from settings) stay as they were.
            let config = Config {
                mapping: waymark_core::MappingConfig {
                    files: mapping.files,
                    values: mapping.values,
                    format: mapping.format,
                    ..loaded.config.mapping.clone()
                },
                ..(*loaded.config).clone()
            };
            dispatch.dispatch(Action::Reanalyse(config));
        })
    };
    // A format profile switched on or off: the files are read again with it.
    let on_choose_format = {
        let dispatch = state.dispatcher();
        let loaded = state.loaded.clone();
        Callback::from(
            move |format: Option<waymark_core::ingest::formats::ExportFormat>| {
                let Some(loaded) = &loaded else { return };
                let mut config = (*loaded.config).clone();
                config.mapping.format = format;
                dispatch.dispatch(Action::Reanalyse(config));
            },
        )
    };
    let on_files = {
        let dispatch = state.dispatcher();
        Callback::from(move |event: Event| {
            let Some(input) = event.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            let Some(list) = input.files() else { return };
            let files: Vec<File> = (0..list.length())
                .filter_map(|i| list.get(i))
                .map(File::from)
                .collect();
            dispatch.dispatch(Action::Load(files));
        })
    };
    let on_drop = {
        let dispatch = state.dispatcher();
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
            dispatch.dispatch(Action::Load(files));
        })
    };
    let on_cancel = {
        let dispatch = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Cancel))
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
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::LoadDemo))
    };
    let on_look_up = {
        let dispatch = state.dispatcher();
        Callback::from(move |person: String| dispatch.dispatch(Action::LookUpPerson(person)))
    };

    let status = match &state.phase {
        Phase::Empty => {
            html! { <p>{ "Choose your CSV exports, or try the built-in demo data. Nothing leaves this device." }</p> }
        }
        Phase::Reading { n_files, progress } => {
            let total = progress.total_bytes.max(1);
            html! {
                <div class="progress" data-testid="progress">
                    <label class="nhsuk-label" for="load-progress">{ format!(
                        "Reading {n_files} file(s): {:.1} of {:.1} MB, {} rows so far",
                        progress.bytes_read as f64 / 1e6,
                        progress.total_bytes as f64 / 1e6,
                        progress.rows_parsed
                    ) }</label>
                    <progress id="load-progress" max={total.to_string()} value={progress.bytes_read.to_string()}></progress>
                    <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" onclick={on_cancel}>{ "Cancel" }</button>
                </div>
            }
        }
        Phase::Cancelled => {
            html! { <p role="status">{ "Loading was cancelled. Nothing was kept." }</p> }
        }
        Phase::Ready => html! {},
        Phase::Updating => {
            html! { <p role="status" class="updating">{ "Updating the analysis…" }</p> }
        }
        Phase::Failed(message) => html! { <p class="verdict bad" role="alert">{ message }</p> },
    };
    // The overview can be drawn once the analysis is in; everything (the person-level lists
    // included) a moment later.
    let overview_ready = matches!(state.phase, Phase::Ready);
    let ready = overview_ready
        && !state
            .loaded
            .as_ref()
            .is_some_and(|loaded| loaded.person_level_pending);
    let view = state.view;
    // A filter the engine refused: the figures below would be for another filter than the one
    // the page shows, so none are shown until it is fixed.
    let refused_filter = matches!(state.phase, Phase::Failed(_))
        && state
            .loaded
            .as_ref()
            .is_some_and(|loaded| loaded.config.filter != state.filter);

    let body = match (&state.loaded, view) {
        (Some(_), _) if refused_filter && !matches!(view, View::Privacy | View::Methods) => html! {
            <p class="note" data-testid="filter-refused">{ "No figures are shown while the filter above cannot be applied: correct it or clear it." }</p>
        },
        (_, View::Privacy) => html! { <views::privacy::Privacy /> },
        (_, View::Methods) => html! { <views::methods::Methods target={state.target.clone()} /> },
        (None, _) => html! {},
        (Some(loaded), View::Data) if loaded.presentation => {
            components::validation::presented(&loaded.report().data_quality)
        }
        (Some(loaded), View::Data) => html! {
            <>
                // The verdict and the problems that change the results first; then how the
                // files were read, to change it.
                if loaded.can_remap {
                    { components::mapping::format_offers(&loaded.validation.formats, loaded.config.mapping.format, &on_choose_format) }
                }
                <ValidationSummary report={loaded.validation.clone()} source={loaded.source.clone()} />
                if loaded.can_remap {
                    <components::mapping::MappingEditor key={loaded.generation.to_string()} validation={loaded.validation.clone()} previews={loaded.previews.clone()} on_apply={on_apply_mapping.clone()}
                        measures={std::rc::Rc::new(loaded.config.catalogue().map(|c| c.measures().iter().map(|m| m.key.clone()).collect::<Vec<_>>()).unwrap_or_default())}
                        status_orders={std::rc::Rc::new(status_orders_in_force(&loaded.config.mapping))}
                        format={loaded.config.mapping.format} />
                } else {
                    <p class="note">{ "Load the files again to change how they are read." }</p>
                }
            </>
        },
        (Some(loaded), View::Overview) => {
            html! { <views::overview::Overview loaded={loaded.clone()} /> }
        }
        (Some(loaded), View::Direction) => {
            html! { <views::direction::Direction loaded={loaded.clone()} target={state.target.clone()} /> }
        }
        (Some(loaded), View::Stability) => {
            html! { <views::stability::Stability loaded={loaded.clone()} /> }
        }
        (Some(loaded), View::Goals) => html! { <views::goals::Goals loaded={loaded.clone()} /> },
        (Some(loaded), View::Governance) => {
            html! { <views::governance::Governance loaded={loaded.clone()} /> }
        }
        (Some(loaded), View::Narrative) => {
            html! { <views::narrative::Narrative loaded={loaded.clone()} /> }
        }
        (Some(loaded), View::Value) => html! { <views::value::Value loaded={loaded.clone()} /> },
        (Some(loaded), View::Pathways) => {
            html! { <views::pathways::Pathways loaded={loaded.clone()} /> }
        }
        (Some(loaded), View::Person) => {
            html! { <views::person::Person loaded={loaded.clone()} lookup={state.person.clone()} on_look_up={on_look_up.clone()} /> }
        }
    };

    let loader = html! {
        <section class={classes!("loader", dragging.then_some("dragging"))} aria-label="Load data"
            ondrop={on_drop} ondragover={on_drag_over} ondragleave={on_drag_leave}>
            <div class="nhsuk-form-group nhsuk-file-upload">
            <label for="file-input" class="nhsuk-label file-label">{ "Choose CSV files or spreadsheets (.xlsx, .ods) with people, outcomes, events, goals, status and feedback, or drop them here" }</label>
            <input class="nhsuk-file-upload__input" id="file-input" type="file" multiple=true accept=".csv,.txt,.tsv,text/csv,.xlsx,.xlsm,.xls,.ods" onchange={on_files} />
            </div>
            <button type="button" class="nhsuk-button" id="demo-button" onclick={on_demo}>{ "Try with demo data" }</button>
        </section>
    };

    html! {
        <ContextProvider<views::value::Reanalyse> context={reanalyse}>
            <a class="nhsuk-skip-link" href="#main">{ "Skip to main content" }</a>
            // The NHS.UK header with the service name only: Waymark is not an NHS service, so
            // it does not carry the NHS logo.
            <header class="nhsuk-header" role="banner">
                <div class="nhsuk-header__container nhsuk-width-container">
                    <div class="nhsuk-header__service">
                        <a class="nhsuk-header__service-name" href={hash_for(View::Overview, &state.filter)}>{ "Waymark" }</a>
                    </div>
                    <p class="tagline">{ "What changed for people, and what it was worth" }</p>
                </div>
                <nav class="nhsuk-header__navigation" aria-label="Views">
                    <div class="nhsuk-width-container">
                        <ul class="nhsuk-header__navigation-list">
                            { for View::ALL.into_iter().filter(|v| v.in_nav()).map(|v| html! {
                                <li class={classes!("nhsuk-header__navigation-item", (v == view).then_some("nhsuk-header__navigation-item--current"))}>
                                    <a class="nhsuk-header__navigation-link" href={hash_for(v, &state.filter)} aria-current={if v == view { Some("page") } else { None }}>{ v.nav_title() }</a>
                                </li>
                            }) }
                        </ul>
                    </div>
                </nav>
            </header>
            <div class="nhsuk-width-container">
            <main class={classes!("nhsuk-main-wrapper", "nhsuk-main-wrapper--s", state.presentation.then_some("presenting"))} data-ready={ready.to_string()} data-overview-ready={overview_ready.to_string()} data-view={view.slug()} data-engine={if state.engine_ready { engine.mode_name() } else { "starting" }}
                id="main" tabindex="-1">
                if let Some(loaded) = &state.loaded {
                    // Once data are in, loading, filters and settings fold into one bar that
                    // says what is shown and opens on demand.
                    <div class="controls-bar">
                        <details class="controls" data-testid="controls">
                            <summary>
                                <span class="source" data-testid="source">{ source_line(loaded) }</span>
                                <span class="filter-summary" data-testid="filter-summary">{ loaded.config.filter.in_words().unwrap_or_else(|| "Everyone in the files".to_string()) }</span>
                                <span class="controls-open">{ "Change data, filters or settings" }</span>
                            </summary>
                            { loader }
                            <FilterBar options={loaded.filter_options.clone()} filter={state.filter.clone()} on_change={on_filter} />
                            <div class="settings-actions">
                                <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" onclick={on_save_settings}>{ "Save settings (JSON, no data)" }</button>
                                <label for="settings-input" class="nhsuk-label secondary-label">{ "Restore settings from a file" }</label>
                                <input class="nhsuk-file-upload__input" id="settings-input" type="file" accept=".json,application/json" onchange={on_restore_settings} />
                            </div>
                        </details>
                        <div class="nhsuk-checkboxes nhsuk-checkboxes--small switch"><div class="nhsuk-checkboxes__item">
                            <input class="nhsuk-checkboxes__input" id="presentation-mode" type="checkbox" checked={state.presentation} onchange={on_presentation} />
                            <label class="nhsuk-label nhsuk-checkboxes__label" for="presentation-mode">{ "Presentation mode" }<span class="hint">{ " (export rules on screen, for sharing)" }</span></label>
                        </div></div>
                    </div>
                } else {
                    { loader }
                }
                <div aria-live="polite">{ status }</div>
                <h1 id="view-heading">{ view.title() }</h1>
                { body }
            </main>
            </div>
            <p class="print-note">{ "This page shows exact counts for your own eyes and is not printed. To print, switch on presentation mode, or download the commissioner report from the overview." }</p>
            <footer class="nhsuk-footer">
                <div class="nhsuk-width-container">
                    <p class="nhsuk-body-s privacy-note">{ "Your files are read and analysed inside this browser tab. Waymark sends no data anywhere. " }<a href="#privacy">{ "How your data is protected" }</a>{ " · " }<a href={hash_for(View::Methods, &state.filter)}>{ "How each figure is worked out" }</a></p>
                </div>
            </footer>
        </ContextProvider<views::value::Reanalyse>>
    }
}

/// What is shown: the data's source and dates.
fn source_line(loaded: &state::Loaded) -> String {
    format!(
        "Showing: {}{}",
        loaded.source,
        match loaded.report().period() {
            (Some(first), Some(as_of)) => format!(" · {first} to {as_of} (analysis date)"),
            _ => String::new(),
        }
    )
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

/// The order of values of every status indicator in force: the defaults with the mapping's own.
fn status_orders_in_force(
    mapping: &waymark_core::MappingConfig,
) -> std::collections::BTreeMap<String, Vec<String>> {
    waymark_core::ingest::mapping::DEFAULT_STATUS_ORDERS
        .iter()
        .map(|(name, _)| name.to_string())
        .chain(mapping.status_orders.keys().map(|k| k.to_lowercase()))
        .filter_map(|name| mapping.status_order(&name).map(|order| (name, order)))
        .collect()
}
