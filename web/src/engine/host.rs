//! The engine side: reads files, holds the parsed dataset and answers the page's requests.
//!
//! Files are read in 4 MiB slices (`Blob.slice`) fed to the core's streaming `IngestSession`.
//! Each slice is read asynchronously, so a `Cancel` request is seen between slices, and the
//! page (when the engine runs inline) repaints between them. A file set larger than the
//! browser can hold is refused with a clear message before any reading starts.

use super::protocol::{Progress, Request, Response};
use super::snapshot::{self, Snapshot};
use gloo::file::callbacks::FileReader;
use gloo::file::{Blob, File};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use waymark_core::config::Config;
use waymark_core::demo::{self, DemoParams};
use waymark_core::filter::filter_people;
use waymark_core::ingest::IngestSession;
use waymark_core::value::cost_avoidance::cost_avoidance;
use waymark_core::{ingest, Dataset, FilePreview, InputFile, ValidationReport};

/// Bytes read per slice.
pub const SLICE_BYTES: u64 = 4 << 20;

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
    /// The last analysis's filtered people, for cost-avoidance requests.
    filtered: RefCell<Option<Rc<Dataset>>>,
}

impl Held {
    fn analysed_data(&self) -> Rc<Dataset> {
        if self.config.filter.is_empty() {
            return self.dataset.clone();
        }
        self.filtered
            .borrow_mut()
            .get_or_insert_with(|| Rc::new(filter_people(&self.dataset, &self.config.filter)))
            .clone()
    }
}

pub struct Host {
    held: RefCell<Option<Held>>,
    cancel: Cell<bool>,
    /// The load in progress: its reader must live until its callback fires.
    load: RefCell<Option<Rc<RefCell<Load>>>>,
    respond: Respond,
}

struct Load {
    files: Vec<File>,
    file_idx: usize,
    offset: u64,
    session: Option<IngestSession>,
    total_bytes: u64,
    reader: Option<FileReader>,
    config: Config,
    /// When reading began (ms since the epoch), for the benchmark's timings.
    started_ms: f64,
}

/// Size of this module's WebAssembly memory (it never shrinks, so after a load it is the
/// high-water mark).
pub fn wasm_memory_bytes() -> u64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| {
            m.buffer()
                .dyn_into::<js_sys::ArrayBuffer>()
                .map_or(0, |b| u64::from(b.byte_length()))
        })
        .unwrap_or(0)
}

impl Host {
    pub fn new(respond: Respond) -> Rc<Host> {
        Rc::new(Host {
            held: RefCell::new(None),
            cancel: Cell::new(false),
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
            Request::Load { config } => self.start_reading(files, config),
            Request::Demo => self.load_demo(),
            Request::Reanalyse { config } => self.reanalyse(config),
            Request::Cancel => self.cancel.set(true),
            Request::Value { id, settings } => {
                let result = match &*self.held.borrow() {
                    None => Err("Load data first.".to_string()),
                    Some(held) => {
                        cost_avoidance(&held.analysed_data(), &settings).map_err(|e| e.to_string())
                    }
                };
                self.respond(Response::Value { id, result });
            }
            Request::Person { id, person } => {
                let timeline = self
                    .held
                    .borrow()
                    .as_ref()
                    .and_then(|held| snapshot::person_timeline(&held.dataset, &person));
                self.respond(Response::Person { id, timeline });
            }
        }
    }

    fn load_demo(&self) {
        let params = DemoParams::default();
        let kept: KeptFiles = Rc::new(
            demo::generate(&params)
                .files
                .into_iter()
                .map(|f| (f.name.to_string(), f.csv.into_bytes()))
                .collect(),
        );
        let mut config = Config::default();
        config.analysis.reference_date = Some(params.reference_date);
        let source = format!("built-in demo data (synthetic, {} people)", params.n_people);
        self.ingest_kept(source, kept, config);
    }

    /// Parses files held in memory (the demo data) and analyses them.
    fn ingest_kept(&self, source: String, kept: KeptFiles, config: Config) {
        let inputs: Vec<InputFile<'_>> = kept
            .iter()
            .map(|(name, bytes)| InputFile { name, bytes })
            .collect();
        let ingested = ingest(&inputs, &config.mapping);
        self.hold_and_analyse(Held {
            source,
            dataset: Rc::new(ingested.dataset),
            validation: Rc::new(ingested.report),
            previews: Rc::new(ingested.previews),
            kept,
            handles: Vec::new(),
            config,
            filtered: RefCell::new(None),
        });
    }

    fn hold_and_analyse(&self, held: Held) {
        self.hold_and_analyse_timed(held, 0.0);
    }

    fn hold_and_analyse_timed(&self, held: Held, read_seconds: f64) {
        let started = js_sys::Date::now();
        let result = self.snapshot_of(&held).map(|mut snapshot| {
            snapshot.read_seconds = read_seconds;
            snapshot.analyse_seconds = (js_sys::Date::now() - started) / 1000.0;
            snapshot
        });
        *self.held.borrow_mut() = Some(held);
        self.respond(match result {
            Ok(snapshot) => Response::Loaded(Box::new(snapshot)),
            Err(message) => Response::Failed(message),
        });
    }

    fn snapshot_of(&self, held: &Held) -> Result<Snapshot, String> {
        let mut snapshot = snapshot::build(
            held.source.clone(),
            &held.dataset,
            &held.validation,
            &held.config,
        )?;
        snapshot.can_remap = !held.kept.is_empty() || !held.handles.is_empty();
        snapshot.previews = (*held.previews).clone();
        snapshot.engine_memory_bytes = wasm_memory_bytes();
        Ok(snapshot)
    }

    /// Re-runs the analysis with new settings, re-reading the files only when the mapping
    /// changed.
    fn reanalyse(self: &Rc<Self>, config: Config) {
        let Some(held) = self.held.borrow_mut().take() else {
            return self.respond(Response::Failed(
                "Load data before changing the settings.".into(),
            ));
        };
        if config.mapping != held.config.mapping {
            if !held.kept.is_empty() {
                return self.ingest_kept(held.source, held.kept, config);
            }
            if !held.handles.is_empty() {
                // The old data stay until the new reading finishes, so a cancelled re-read
                // leaves everything as it was.
                let handles = held.handles.clone();
                *self.held.borrow_mut() = Some(held);
                return self.start_reading(handles, config);
            }
            let message = "These settings map the files differently, and the files are no longer available: load them again.".to_string();
            *self.held.borrow_mut() = Some(held);
            return self.respond(Response::Failed(message));
        }
        self.hold_and_analyse(Held {
            config,
            filtered: RefCell::new(None),
            ..held
        });
    }

    fn start_reading(self: &Rc<Self>, files: Vec<File>, config: Config) {
        if files.is_empty() {
            return;
        }
        let total_bytes: u64 = files.iter().map(|f| f.size()).sum();
        if total_bytes > MAX_TOTAL_BYTES {
            return self.respond(Response::Failed(format!(
                "These files are {:.1} GB together; this browser tab can analyse up to {:.1} GB. Load fewer or smaller exports (for example one year of events at a time), or use the command-line tool `waymark report`, which has no such limit.",
                total_bytes as f64 / 1e9,
                MAX_TOTAL_BYTES as f64 / 1e9
            )));
        }
        self.cancel.set(false);
        self.respond(Response::Reading {
            n_files: files.len(),
            total_bytes,
        });
        let load = Rc::new(RefCell::new(Load {
            files,
            file_idx: 0,
            offset: 0,
            session: Some(IngestSession::new(config.mapping.clone())),
            total_bytes,
            reader: None,
            config,
            started_ms: js_sys::Date::now(),
        }));
        *self.load.borrow_mut() = Some(load.clone());
        self.next_slice(load);
    }

    fn next_slice(self: &Rc<Self>, load: Rc<RefCell<Load>>) {
        let mut state = load.borrow_mut();
        if self.cancel.get() {
            *self.load.borrow_mut() = None;
            return self.respond(Response::Cancelled);
        }
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
            if let Some(session) = state.session.as_mut() {
                session.end_file();
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
        state.reader = Some(gloo::file::callbacks::read_as_bytes(
            &slice,
            move |result| {
                let bytes = match result {
                    Ok(bytes) => bytes,
                    Err(err) => {
                        *host.load.borrow_mut() = None;
                        return host.respond(Response::Failed(format!(
                            "Could not read {}: {err}",
                            file.name()
                        )));
                    }
                };
                let progress = {
                    let mut state = for_callback.borrow_mut();
                    state.offset = end;
                    let total_bytes = state.total_bytes;
                    state.session.as_mut().map(|session| {
                        session.push(&bytes);
                        Progress {
                            bytes_read: session.bytes_read(),
                            total_bytes,
                            rows_parsed: session.rows_parsed(),
                        }
                    })
                };
                if let Some(progress) = progress {
                    host.respond(Response::Progress(progress));
                }
                host.next_slice(for_callback);
            },
        ));
    }

    fn finish(&self, load: Rc<RefCell<Load>>) {
        *self.load.borrow_mut() = None;
        let mut state = load.borrow_mut();
        let Some(session) = state.session.take() else {
            return;
        };
        let ingested = session.finish();
        let read_seconds = (js_sys::Date::now() - state.started_ms) / 1000.0;
        let files = std::mem::take(&mut state.files);
        self.hold_and_analyse_timed(
            Held {
                source: files.iter().map(File::name).collect::<Vec<_>>().join(", "),
                dataset: Rc::new(ingested.dataset),
                validation: Rc::new(ingested.report),
                previews: Rc::new(ingested.previews),
                kept: Rc::new(Vec::new()),
                handles: files,
                config: state.config.clone(),
                filtered: RefCell::new(None),
            },
            read_seconds,
        );
    }
}

/// The worker's entry point, called by `worker.js` once the module is ready: answers each
/// message from the page, and says it is ready.
#[wasm_bindgen::prelude::wasm_bindgen(js_name = startEngineWorker)]
pub fn start_engine_worker() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let poster = scope.clone();
    let host = Host::new(Rc::new(move |response: Response| {
        post_response(&poster, &response)
    }));
    let listener = gloo::events::EventListener::new(&scope, "message", move |event| {
        let Some(event) = event.dyn_ref::<web_sys::MessageEvent>() else {
            return;
        };
        match read_request(&event.data()) {
            Ok((request, files)) => host.handle(request, files),
            Err(message) => host.respond(Response::Failed(message)),
        }
    });
    // The worker lives as long as the page: its listener is never removed.
    listener.forget();
    post_response(&scope, &Response::Ready);
}

fn post_response(scope: &web_sys::DedicatedWorkerGlobalScope, response: &Response) {
    let message = match super::protocol::encode(response) {
        Ok(bytes) => bytes,
        Err(message) => match super::protocol::encode(&Response::Failed(message)) {
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
