//! The engine side: reads files, holds the parsed dataset and answers the page's requests.
//!
//! Files are read in 32 MiB slices (`Blob.slice`) fed to the core's streaming `IngestSession`
//! a mebibyte at a time: each slice stays in JavaScript's memory, which the browser frees,
//! and only a 1 MiB piece at a time is copied into the engine's WebAssembly memory, which
//! never shrinks. Each slice is read asynchronously, so a `Cancel` request is seen between slices, and the
//! page (when the engine runs inline) repaints between them. A file set larger than the
//! browser can hold is refused with a clear message before any reading starts.

use super::protocol::{Progress, Request, Response};
use super::snapshot::{self, PersonLevel, Snapshot};
use gloo::file::callbacks::FileReader;
use gloo::file::{Blob, File};
use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use waymark_core::config::filtered;
use waymark_core::config::Config;
use waymark_core::demo::{self, DemoParams};
use waymark_core::ingest::{ingest_with, IngestRules, IngestSession};
use waymark_core::{ingest, Dataset, FilePreview, InputFile, ValidationReport};

/// Bytes read per slice: each read is a round trip through the browser, so fewer, larger
/// slices read faster (on 70 MB, 16 MiB waited about 0.5 s less than 4 MiB, and 32 MiB about
/// 0.07 s less than 16 MiB); a slice stays in JavaScript's memory and is parsed a piece at a
/// time, so its size costs the engine's memory nothing. The progress bar still moves for any
/// file worth waiting for.
pub const SLICE_BYTES: u64 = 32 << 20;

/// Bytes of a slice copied into WebAssembly memory and parsed at a time.
const PIECE_BYTES: usize = 1 << 20;

/// The largest total the app accepts: WebAssembly memory is at most 4 GiB, and the parsed
/// tables and the analyses need about 2.5 times the input.
pub const MAX_TOTAL_BYTES: u64 = 1_500_000_000;

/// How the engine answers: posted to the page from a worker, or handed over directly inline.
pub type Respond = Rc<dyn Fn(Response)>;

/// Named file contents, kept for the demo data so a new mapping can be applied at once; empty
/// for the user's own files, which are streamed and not kept (a large export would double the
/// memory).
type KeptFiles = Rc<Vec<(String, Vec<u8>)>>;

/// The data of the last load, kept to answer later requests.
struct Held {
    source: String,
    dataset: Rc<Dataset>,
    validation: Rc<ValidationReport>,
    previews: Rc<Vec<FilePreview>>,
    kept: KeptFiles,
    /// The user's files (handles, not contents), to read them again with a new mapping.
    handles: Vec<File>,
    config: Config,
}

pub struct Host {
    held: RefCell<Option<Held>>,
    /// The one load in progress. A slice's callback carries on only while its load is still
    /// this one: a cancel, a new load or the demo data replace it, and dropping it drops its
    /// reader, which aborts the read.
    load: RefCell<Option<Rc<RefCell<Load>>>>,
    respond: Respond,
}

struct Load {
    /// The generation of the request that began this load; its replies carry it.
    generation: u64,
    files: Vec<File>,
    file_idx: usize,
    offset: u64,
    session: Option<IngestSession>,
    total_bytes: u64,
    reader: Option<FileReader>,
    config: Config,
    /// Times the reading for the benchmarks (nothing without the `bench` feature).
    clock: crate::bench::LoadClock,
    /// The piece of a slice being parsed, reused.
    piece: Vec<u8>,
}

impl Host {
    pub fn new(respond: Respond) -> Rc<Host> {
        Rc::new(Host {
            held: RefCell::new(None),
            load: RefCell::new(None),
            respond,
        })
    }

    pub fn respond(&self, response: Response) {
        (self.respond)(response);
    }

    /// Answers one request; `files` are the handles sent with a `Load`.
    pub fn handle(self: &Rc<Self>, request: Request, files: Vec<File>) {
        match request {
            Request::Load { generation, config } => self.start_reading(generation, files, config),
            Request::Demo { generation } => {
                self.replace_load(None);
                self.load_demo(generation)
            }
            Request::Reanalyse { generation, config } => self.reanalyse(generation, config),
            Request::Cancel { generation } => {
                if self.replace_load(None) {
                    self.respond(Response::Cancelled { generation });
                }
            }
            Request::Person { generation, person } => {
                let timeline = self.held.borrow().as_ref().and_then(|held| {
                    snapshot::person_timeline(&held.dataset, &person, &held.config.analysis)
                });
                self.respond(Response::Person {
                    generation,
                    person,
                    timeline,
                });
            }
        }
    }

    fn load_demo(&self, generation: u64) {
        let params = DemoParams::default();
        let kept: KeptFiles = Rc::new(demo::generate(&params).into_named_bytes());
        let mut config = Config::default();
        config.analysis.reference_date = Some(params.reference_date);
        let source = format!("built-in demo data (synthetic, {} people)", params.n_people);
        self.ingest_kept(generation, source, kept, config);
    }

    /// Parses files held in memory (the demo data) and analyses them.
    fn ingest_kept(&self, generation: u64, source: String, kept: KeptFiles, config: Config) {
        let inputs: Vec<InputFile<'_>> = kept
            .iter()
            .map(|(name, bytes)| InputFile { name, bytes })
            .collect();
        let ingested = ingest_with(&inputs, &config.mapping, &IngestRules::from_config(&config));
        self.hold_and_analyse(
            generation,
            Held {
                source,
                dataset: Rc::new(ingested.dataset),
                validation: Rc::new(ingested.report),
                previews: Rc::new(ingested.previews),
                kept,
                handles: Vec::new(),
                config,
            },
        );
    }

    fn hold_and_analyse(&self, generation: u64, held: Held) {
        self.hold_and_analyse_timed(generation, held, (0.0, 0.0));
    }

    /// `read_parse`: seconds reading (from the first slice to the parsed tables) and, of
    /// those, parsing, for the benchmarks (`crate::bench`).
    fn hold_and_analyse_timed(&self, generation: u64, held: Held, read_parse: (f64, f64)) {
        let started = crate::bench::now_ms();
        let data = match filtered(&held.dataset, &held.config.filter) {
            Cow::Borrowed(_) => held.dataset.clone(),
            Cow::Owned(data) => Rc::new(data),
        };
        match self.snapshot_of(&held, &data) {
            Ok(mut snapshot) => {
                crate::bench::engine_measured(read_parse, started);
                *self.held.borrow_mut() = Some(held);
                // The overview first: the person-level lists are most of the bytes, and the
                // page decodes them after it has drawn the overview.
                let person_level = PersonLevel::split_off(&mut snapshot, generation);
                self.respond(Response::Loaded(Box::new(snapshot)));
                if let Some(person_level) = person_level {
                    self.respond(Response::PersonLevel(Box::new(person_level)));
                }
            }
            // Settings the core refuses change nothing: the data and settings the page shows
            // stay the ones the engine answers for.
            Err(message) => self.respond(Response::Failed {
                generation: Some(generation),
                message,
            }),
        }
    }

    fn snapshot_of(&self, held: &Held, analysed: &Dataset) -> Result<Snapshot, String> {
        let mut snapshot = snapshot::build(
            held.source.clone(),
            &held.dataset,
            analysed,
            &held.validation,
            &held.config,
        )?;
        snapshot.can_remap = !held.kept.is_empty() || !held.handles.is_empty();
        snapshot.previews = (*held.previews).clone();
        Ok(snapshot)
    }

    /// Re-runs the analysis with new settings, re-reading the files only when the mapping
    /// changed.
    fn reanalyse(self: &Rc<Self>, generation: u64, config: Config) {
        /// What the new settings need, decided while the held data are borrowed.
        enum Next {
            ReadKept(String, KeptFiles),
            ReadAgain(Vec<File>),
            Analyse(Held),
            Refuse(&'static str),
        }
        let next = match self.held.borrow().as_ref() {
            None => Next::Refuse("Load data before changing the settings."),
            Some(held) if config.mapping != held.config.mapping => {
                if !held.kept.is_empty() {
                    Next::ReadKept(held.source.clone(), held.kept.clone())
                } else if !held.handles.is_empty() {
                    Next::ReadAgain(held.handles.clone())
                } else {
                    Next::Refuse("These settings map the files differently, and the files are no longer available: load them again.")
                }
            }
            Some(held) => Next::Analyse(Held {
                source: held.source.clone(),
                dataset: held.dataset.clone(),
                validation: held.validation.clone(),
                previews: held.previews.clone(),
                kept: held.kept.clone(),
                handles: held.handles.clone(),
                config: config.clone(),
            }),
        };
        match next {
            Next::ReadKept(source, kept) => self.ingest_kept(generation, source, kept, config),
            // The old data stay until the new reading finishes, so a cancelled or failed
            // re-read leaves everything as it was.
            Next::ReadAgain(handles) => self.start_reading(generation, handles, config),
            Next::Analyse(held) => self.hold_and_analyse(generation, held),
            Next::Refuse(message) => self.respond(Response::Failed {
                generation: Some(generation),
                message: message.to_string(),
            }),
        }
    }

    fn start_reading(self: &Rc<Self>, generation: u64, files: Vec<File>, config: Config) {
        if files.is_empty() {
            return;
        }
        let total_bytes: u64 = files.iter().map(|f| f.size()).sum();
        if total_bytes > MAX_TOTAL_BYTES {
            return self.respond(Response::Failed {
                generation: Some(generation),
                message: format!(
                "These files are {:.1} GB together; this browser tab can analyse up to {:.1} GB. Load fewer or smaller exports (for example one year of events at a time), or use the command-line tool `waymark report`, which has no such limit.",
                total_bytes as f64 / 1e9,
                MAX_TOTAL_BYTES as f64 / 1e9
            ),
            });
        }
        self.respond(Response::Reading {
            generation,
            n_files: files.len(),
            total_bytes,
        });
        let load = Rc::new(RefCell::new(Load {
            generation,
            files,
            file_idx: 0,
            offset: 0,
            session: Some(IngestSession::with_rules(
                config.mapping.clone(),
                IngestRules::from_config(&config),
            )),
            total_bytes,
            reader: None,
            config,
            clock: crate::bench::LoadClock::start(),
            piece: Vec::new(),
        }));
        self.replace_load(Some(load.clone()));
        self.next_slice(load);
    }

    /// Makes `next` the load in progress; the one it replaces (if any) is abandoned: its
    /// reader is dropped, which aborts its read and frees its callback, and its partly parsed
    /// tables are freed. Returns whether there was one. Never called from a reader's own
    /// callback (a closure must not be dropped while it runs).
    fn replace_load(&self, next: Option<Rc<RefCell<Load>>>) -> bool {
        let previous = std::mem::replace(&mut *self.load.borrow_mut(), next);
        match previous {
            Some(old) => {
                let mut old = old.borrow_mut();
                old.reader = None;
                old.session = None;
                true
            }
            None => false,
        }
    }

    /// Whether `load` is still the load in progress (not cancelled or replaced).
    fn is_current(&self, load: &Rc<RefCell<Load>>) -> bool {
        self.load
            .borrow()
            .as_ref()
            .is_some_and(|current| Rc::ptr_eq(current, load))
    }

    fn next_slice(self: &Rc<Self>, load: Rc<RefCell<Load>>) {
        if !self.is_current(&load) {
            return;
        }
        let mut state = load.borrow_mut();
        let Some(file) = state.files.get(state.file_idx).cloned() else {
            drop(state);
            return self.finish(load);
        };
        if state.offset == 0 {
            if let Some(session) = state.session.as_mut() {
                session.begin_file(&file.name(), Some(file.size()));
            }
        }
        if state.offset >= file.size() {
            // Settling the file's columns (dates, codes, rows into the tables) is parsing too.
            let Load { session, clock, .. } = &mut *state;
            if let Some(session) = session.as_mut() {
                clock.parsing(|| session.end_file());
            }
            state.file_idx += 1;
            state.offset = 0;
            drop(state);
            return self.next_slice(load);
        }
        let end = (state.offset + SLICE_BYTES).min(file.size());
        let slice: Blob = Blob::clone(&file).slice(state.offset, end);
        let host = self.clone();
        let for_callback = load.clone();
        state.reader = Some(gloo::file::callbacks::read_as_array_buffer(
            &slice,
            move |result| {
                if !host.is_current(&for_callback) {
                    // Abandoned: free what it parsed (its reader goes with it afterwards).
                    for_callback.borrow_mut().session = None;
                    return;
                }
                let generation = for_callback.borrow().generation;
                let bytes = match result {
                    Ok(bytes) => bytes,
                    Err(err) => {
                        *host.load.borrow_mut() = None;
                        return host.respond(Response::Failed {
                            generation: Some(generation),
                            message: format!("Could not read {}: {err}", file.name()),
                        });
                    }
                };
                let progress = {
                    let mut state = for_callback.borrow_mut();
                    state.offset = end;
                    let total_bytes = state.total_bytes;
                    let Load {
                        session,
                        piece,
                        clock,
                        ..
                    } = &mut *state;
                    clock.parsing(|| {
                        session.as_mut().map(|session| {
                            let bytes = js_sys::Uint8Array::new(&bytes);
                            session.push_in_pieces(
                                bytes.length() as usize,
                                PIECE_BYTES,
                                piece,
                                |start, end, into| {
                                    bytes.subarray(start as u32, end as u32).copy_to(into)
                                },
                            );
                            Progress {
                                bytes_read: session.bytes_read(),
                                total_bytes,
                                rows_parsed: session.rows_parsed(),
                            }
                        })
                    })
                };
                if let Some(progress) = progress {
                    host.respond(Response::Progress {
                        generation,
                        progress,
                    });
                }
                host.next_slice(for_callback);
            },
        ));
    }

    fn finish(&self, load: Rc<RefCell<Load>>) {
        if !self.is_current(&load) {
            return;
        }
        *self.load.borrow_mut() = None;
        let mut state = load.borrow_mut();
        let Some(session) = state.session.take() else {
            return;
        };
        let ingested = state.clock.parsing(|| session.finish());
        let read_parse = state.clock.read_and_parse_seconds();
        let files = std::mem::take(&mut state.files);
        self.hold_and_analyse_timed(
            state.generation,
            Held {
                source: files.iter().map(File::name).collect::<Vec<_>>().join(", "),
                dataset: Rc::new(ingested.dataset),
                validation: Rc::new(ingested.report),
                previews: Rc::new(ingested.previews),
                kept: Rc::new(Vec::new()),
                handles: files,
                config: state.config.clone(),
            },
            read_parse,
        );
    }
}

/// The worker's entry point, called by `worker.js` once the module is ready: answers each
/// message from the page, and says it is ready.
#[wasm_bindgen::prelude::wasm_bindgen(js_name = startEngineWorker)]
pub fn start_engine_worker() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    // A panic ends the worker: say why first, so the page does not wait for ever.
    let for_panics = scope.clone();
    std::panic::set_hook(Box::new(move |info| {
        post_response(
            &for_panics,
            &Response::engine_failed(format!(
                "The analysis stopped unexpectedly ({info}). Load the files again; if it happens again, please report it with the message."
            )),
        );
    }));
    let poster = scope.clone();
    let host = Host::new(Rc::new(move |response: Response| {
        post_response(&poster, &response)
    }));
    // Set by the first request: the warm-up then gives way to it, and is not resumed.
    let asked = Rc::new(std::cell::Cell::new(false));
    let asked_by_page = asked.clone();
    let listener = gloo::events::EventListener::new(&scope, "message", move |event| {
        let Some(event) = event.dyn_ref::<web_sys::MessageEvent>() else {
            return;
        };
        asked_by_page.set(true);
        match read_request(&event.data()) {
            Ok((request, files)) => host.handle(request, files),
            Err(message) => host.respond(Response::engine_failed(message)),
        }
    });
    // The worker lives as long as the page: its listener is never removed.
    listener.forget();
    post_response(&scope, &Response::Ready);
    warm_up_unless_asked(scope, asked);
}

/// Runs the warm-up in steps, each in its own task, so that a request arriving meanwhile is
/// handled after at most one step, and the rest of the warm-up is dropped. The page decodes
/// the warm-up analysis too, and drops it, for the same reason as the warm-up itself
/// ([`post_warm_up`]).
fn warm_up_unless_asked(
    scope: web_sys::DedicatedWorkerGlobalScope,
    asked: Rc<std::cell::Cell<bool>>,
) {
    let next_task =
        |task: Box<dyn FnOnce()>| gloo::timers::callback::Timeout::new(0, task).forget();
    let asked_before_ingest = asked.clone();
    next_task(Box::new(move || {
        if asked_before_ingest.get() {
            return;
        }
        let warm = WarmUp::ingest();
        next_task(Box::new(move || {
            if asked.get() {
                return;
            }
            if let Some(warmed) = warm.analyse() {
                post_warm_up(&scope, &warmed);
            }
        }));
    }));
}

/// The warm-up: a small analysis of generated data (300 people), run once when the worker has
/// started unless a request comes first, and thrown away. Browsers compile WebAssembly in two
/// tiers, a quick baseline compiler first and an optimising one for functions that have run
/// for a while, and a function switches tier only on a later call: a first real load would run
/// its long loops on baseline code throughout. Measured in Chromium at a million events (docs/performance.md):
/// analysing took 0.73–1.14 s without this and 0.37–0.69 s with it; the warm-up itself takes
/// about 0.25 s of the worker's start.
struct WarmUp {
    ingested: waymark_core::ingest::Ingested,
    config: Config,
}

impl WarmUp {
    /// The first step: generate and read 300 people.
    fn ingest() -> WarmUp {
        let demo = demo::generate(&DemoParams {
            n_people: 300,
            ..DemoParams::default()
        });
        let config = Config::default();
        let ingested = ingest(&demo.input_files(), &config.mapping);
        WarmUp { ingested, config }
    }

    /// The second step: analyse them, and encode the person-level message (the rest is sent
    /// to the page).
    fn analyse(self) -> Option<Snapshot> {
        let dataset = &self.ingested.dataset;
        let mut snapshot = snapshot::build(
            String::new(),
            dataset,
            dataset,
            &self.ingested.report,
            &self.config,
        )
        .ok()?;
        let person_level = PersonLevel::split_off(&mut snapshot, 0).unwrap_or_default();
        let _ = super::protocol::encode(&Response::PersonLevel(Box::new(person_level)));
        Some(snapshot)
    }
}

/// Posts the warm-up analysis to the page on a channel of its own, a one-element array
/// `[bytes]` holding a [`Snapshot`] (each `Response` is a bare byte array): the page decodes it
/// so its own decoding code is optimised before the first real analysis, and drops it
/// (`client::Engine`); the app never sees it.
fn post_warm_up(scope: &web_sys::DedicatedWorkerGlobalScope, snapshot: &Snapshot) {
    let Ok(bytes) = super::protocol::encode(snapshot) else {
        return;
    };
    let array = js_sys::Uint8Array::from(bytes.as_slice());
    let transfer = js_sys::Array::of1(&array.buffer());
    let _ = scope.post_message_with_transfer(&js_sys::Array::of1(&array), &transfer);
}

/// The bytes of a warm-up analysis posted by [`post_warm_up`], if `data` is one.
pub fn warm_up_bytes(data: &wasm_bindgen::JsValue) -> Option<js_sys::Uint8Array> {
    let parts = data.dyn_ref::<js_sys::Array>()?;
    (parts.length() == 1)
        .then(|| parts.get(0).dyn_into::<js_sys::Uint8Array>().ok())
        .flatten()
}

fn post_response(scope: &web_sys::DedicatedWorkerGlobalScope, response: &Response) {
    let message = match super::protocol::encode(response) {
        Ok(bytes) => bytes,
        Err(message) => match super::protocol::encode(&Response::engine_failed(message)) {
            Ok(bytes) => bytes,
            Err(_) => return,
        },
    };
    let array = js_sys::Uint8Array::from(message.as_slice());
    let transfer = js_sys::Array::of1(&array.buffer());
    // Transferring the buffer hands it over without a copy.
    let _ = scope.post_message_with_transfer(&array, &transfer);
}

/// A request from the page: `[bytes, files]`.
pub fn read_request(data: &wasm_bindgen::JsValue) -> Result<(Request, Vec<File>), String> {
    let parts: js_sys::Array = data
        .clone()
        .dyn_into()
        .map_err(|_| "the engine received a message it does not understand".to_string())?;
    let bytes: js_sys::Uint8Array = parts
        .get(0)
        .dyn_into()
        .map_err(|_| "the engine received a message without a request".to_string())?;
    let request = super::protocol::decode(&bytes.to_vec())?;
    let files = parts
        .get(1)
        .dyn_into::<js_sys::Array>()
        .map(|list| {
            list.iter()
                .filter_map(|f| f.dyn_into::<web_sys::File>().ok())
                .map(File::from)
                .collect()
        })
        .unwrap_or_default();
    Ok((request, files))
}
