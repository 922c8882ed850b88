//! The page side of the engine: starts `worker.js`, sends requests, and hands responses to
//! the app. Where a worker cannot start (the offline single-file build, opened from disk, says
//! so with `<body data-engine="inline">`; or the worker fails to load) the same host runs in
//! the page instead, so every feature works either way.

use super::host::Host;
use super::protocol::{decode, encode, Request, Response};
use super::snapshot::Snapshot;
use gloo::events::EventListener;
use gloo::file::File;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::Callback;

/// The app's worker script, beside index.html.
const APP_WORKER_URL: &str = "./worker.js";

enum Channel {
    /// The worker is loading; requests wait here until it says it is ready.
    Starting {
        worker: web_sys::Worker,
        queue: Vec<(Request, Vec<File>)>,
    },
    Worker(web_sys::Worker),
    Inline(Rc<Host>),
    /// Only while the channel is being replaced.
    Switching,
}

struct State {
    channel: Channel,
    /// Every response: the app's reducer (or the widgets' queue) drops those it no longer
    /// waits for, by their generation.
    on_response: Callback<Response>,
    /// Messages that arrived while the page draws a new analysis, in order; `None` when
    /// messages are decoded as they arrive.
    held_back: Option<Vec<js_sys::Uint8Array>>,
    /// Numbers each hold, so a late callback from an earlier one releases nothing.
    holds: u64,
    _listeners: Vec<EventListener>,
}

/// A handle on the engine, held by the app (and by the widgets' queue).
#[derive(Clone)]
pub struct Engine {
    state: Rc<RefCell<State>>,
}

impl PartialEq for Engine {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.state, &other.state)
    }
}

/// Whether the page asks for the engine to run inline (the offline build).
fn inline_requested() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
        .and_then(|b| b.get_attribute("data-engine"))
        .is_some_and(|v| v == "inline")
}

impl Engine {
    /// Which engine is answering, shown as `data-engine` on the page for tests and benchmarks.
    pub fn mode_name(&self) -> &'static str {
        match self.state.borrow().channel {
            Channel::Starting { .. } | Channel::Switching => "starting",
            Channel::Worker(_) => "worker",
            Channel::Inline(_) => "inline",
        }
    }

    /// Starts the app's engine; `on_response` receives every response.
    pub fn start(on_response: Callback<Response>) -> Engine {
        let worker_url = (!inline_requested()).then_some(APP_WORKER_URL);
        Engine::start_at(worker_url, on_response)
    }

    /// Starts an engine in the worker script at `worker_url` (the widgets' page is not the
    /// app's, so they name it), or in the page when `None` or when the worker cannot start.
    pub fn start_at(worker_url: Option<&str>, on_response: Callback<Response>) -> Engine {
        let state = Rc::new(RefCell::new(State {
            channel: Channel::Switching,
            on_response,
            held_back: None,
            holds: 0,
            _listeners: Vec::new(),
        }));
        let engine = Engine { state };
        let worker = worker_url.and_then(|url| {
            let options = web_sys::WorkerOptions::new();
            options.set_type(web_sys::WorkerType::Module);
            web_sys::Worker::new_with_options(url, &options).ok()
        });
        match worker {
            Some(worker) => engine.attach(worker),
            None => engine.go_inline(),
        }
        engine
    }

    fn attach(&self, worker: web_sys::Worker) {
        let on_message = {
            let engine = self.clone();
            EventListener::new(&worker, "message", move |event| {
                let Some(event) = event.dyn_ref::<web_sys::MessageEvent>() else {
                    return;
                };
                let data = event.data();
                if crate::bench::received(&data) {
                    return;
                }
                if let Some(bytes) = super::host::warm_up_bytes(&data) {
                    // The worker's warm-up analysis: decoded, so this code is optimised before
                    // the first real analysis, and dropped.
                    let _ = decode::<Snapshot>(&bytes.to_vec());
                    return;
                }
                match data.dyn_into::<js_sys::Uint8Array>() {
                    Ok(bytes) => engine.arrived(bytes),
                    Err(_) => engine.receive(Response::engine_failed(
                        "the engine sent a message the page does not understand",
                    )),
                }
            })
        };
        // A worker that cannot load (blocked, or its script missing) leaves the page to do the
        // work itself.
        let on_error = {
            let engine = self.clone();
            EventListener::new(&worker, "error", move |_| {
                let starting = matches!(engine.state.borrow().channel, Channel::Starting { .. });
                if starting {
                    engine.go_inline();
                } else {
                    engine.worker_stopped();
                }
            })
        };
        let mut state = self.state.borrow_mut();
        state._listeners = vec![on_message, on_error];
        state.channel = Channel::Starting {
            worker,
            queue: Vec::new(),
        };
    }

    /// A message from the worker: decoded now, or after the page has drawn the analysis
    /// that came before it.
    fn arrived(&self, bytes: js_sys::Uint8Array) {
        if let Some(held) = self.state.borrow_mut().held_back.as_mut() {
            held.push(bytes);
            return;
        }
        self.decode_and_receive(bytes);
    }

    fn decode_and_receive(&self, bytes: js_sys::Uint8Array) {
        let started = crate::bench::now_ms();
        let response = decode::<Response>(&bytes.to_vec()).unwrap_or_else(Response::engine_failed);
        let is_analysis = matches!(response, Response::Loaded(_));
        crate::bench::page_decoded(is_analysis, started);
        self.receive(response);
        if is_analysis {
            self.hold_until_painted();
        }
    }

    /// Holds later messages (the person-level lists follow each analysis at once) until the
    /// page has painted the new analysis: decoding them takes a few hundred milliseconds at a
    /// million events, and the overview should not wait for detail it does not show.
    fn hold_until_painted(&self) {
        let hold = {
            let mut state = self.state.borrow_mut();
            state.held_back = Some(Vec::new());
            state.holds += 1;
            state.holds
        };
        let Some(window) = web_sys::window() else {
            return self.release_held(hold);
        };
        // An animation frame callback runs just before a paint; a zero timeout set from it
        // runs after that paint. Where frames do not come (a background tab), a short wait
        // releases them anyway. Each callback frees itself once called.
        let engine = self.clone();
        let after_paint = wasm_bindgen::closure::Closure::once_into_js(move || {
            let release =
                wasm_bindgen::closure::Closure::once_into_js(move || engine.release_held(hold));
            if let Some(window) = web_sys::window() {
                let _ = window.set_timeout_with_callback(release.unchecked_ref());
            }
        });
        let engine = self.clone();
        let fallback =
            wasm_bindgen::closure::Closure::once_into_js(move || engine.release_held(hold));
        let frame = window.request_animation_frame(after_paint.unchecked_ref());
        let timeout = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(fallback.unchecked_ref(), 250);
        if frame.is_err() || timeout.is_err() {
            self.release_held(hold);
        }
    }

    /// Decodes the held messages in order; if one is another analysis, the rest wait again.
    fn release_held(&self, hold: u64) {
        let held = {
            let mut state = self.state.borrow_mut();
            if state.holds != hold {
                return;
            }
            state.held_back.take()
        };
        let Some(held) = held else {
            return;
        };
        let mut held = held.into_iter();
        while let Some(bytes) = held.next() {
            self.decode_and_receive(bytes);
            let mut state = self.state.borrow_mut();
            if let Some(again) = state.held_back.as_mut() {
                again.extend(held);
                return;
            }
        }
    }

    fn go_inline(&self) {
        let engine = self.clone();
        // Deferred, as a worker's answers are: the page updates between a request and its answer.
        let host = Host::new(Rc::new(move |response: Response| {
            let engine = engine.clone();
            gloo::timers::callback::Timeout::new(0, move || engine.receive(response)).forget();
        }));
        let previous = std::mem::replace(
            &mut self.state.borrow_mut().channel,
            Channel::Inline(host.clone()),
        );
        match previous {
            Channel::Starting { worker, queue } => {
                worker.terminate();
                for (request, files) in queue {
                    host.handle(request, files);
                }
            }
            Channel::Worker(worker) => worker.terminate(),
            Channel::Inline(_) | Channel::Switching => {}
        }
        host.respond(Response::Ready);
    }

    /// The worker stopped (out of memory, or a panic it has already reported): its data are
    /// gone. Say so, and carry on in the page.
    fn worker_stopped(&self) {
        let on_response = self.state.borrow().on_response.clone();
        self.go_inline();
        on_response.emit(Response::engine_failed(
            "The analysis engine stopped, perhaps because this browser tab ran out of memory. Load the files again (fewer or smaller files if it happens again).".to_string(),
        ));
    }

    fn receive(&self, response: Response) {
        if let Response::Ready = response {
            let mut state = self.state.borrow_mut();
            let previous = std::mem::replace(&mut state.channel, Channel::Switching);
            let mut failures = Vec::new();
            match previous {
                Channel::Starting { worker, queue } => {
                    for (request, files) in queue {
                        failures.extend(post(&worker, &request, files).err());
                    }
                    state.channel = Channel::Worker(worker);
                }
                other => state.channel = other,
            }
            let on_response = state.on_response.clone();
            drop(state);
            for message in failures {
                on_response.emit(Response::engine_failed(message));
            }
        }
        let on_response = self.state.borrow().on_response.clone();
        on_response.emit(response);
    }

    /// Sends a request; `files` go with a `Load`.
    pub fn send(&self, request: Request, files: Vec<File>) {
        let mut state = self.state.borrow_mut();
        match &mut state.channel {
            Channel::Starting { queue, .. } => queue.push((request, files)),
            Channel::Switching => {}
            Channel::Worker(worker) => {
                if let Err(message) = post(worker, &request, files) {
                    let on_response = state.on_response.clone();
                    drop(state);
                    on_response.emit(Response::engine_failed(message));
                }
            }
            Channel::Inline(host) => {
                let host = host.clone();
                drop(state);
                // Let the page paint "Reading…" before the work starts.
                gloo::timers::callback::Timeout::new(0, move || host.handle(request, files))
                    .forget();
            }
        }
    }
}

/// Posts `[bytes, files]`; the page keeps no copy of the files' contents.
fn post(worker: &web_sys::Worker, request: &Request, files: Vec<File>) -> Result<(), String> {
    let bytes = encode(request)?;
    let handles = js_sys::Array::new();
    for file in files {
        let raw: &web_sys::File = file.as_ref();
        handles.push(raw);
    }
    let message = js_sys::Array::of2(&js_sys::Uint8Array::from(bytes.as_slice()), &handles);
    worker
        .post_message(&message)
        .map_err(|e| format!("could not reach the engine: {e:?}"))
}
