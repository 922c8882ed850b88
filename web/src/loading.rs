//! Reading chosen files in 4 MiB slices (`Blob.slice`), feeding the core's streaming
//! `IngestSession` one slice at a time. Each slice is read asynchronously, so the page repaints
//! between slices: the progress bar moves and the cancel button works while a large export
//! loads. A file set larger than the browser can hold is refused with a clear message before
//! any reading starts.

use crate::pipeline;
use crate::state::{Action, AppState};
use gloo::file::callbacks::FileReader;
use gloo::file::{Blob, File};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use waymark_core::config::Config;
use waymark_core::ingest::IngestSession;
use yew::UseReducerDispatcher;

/// Bytes read per slice.
pub const SLICE_BYTES: u64 = 4 << 20;

/// The largest total the app accepts: WebAssembly memory is at most 4 GiB, and the parsed
/// parsed tables and the analyses need about 2.5 times the input.
pub const MAX_TOTAL_BYTES: u64 = 1_500_000_000;

/// Progress of one load, shown as a progress bar.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Progress {
    pub bytes_read: u64,
    pub total_bytes: u64,
    pub rows_parsed: u64,
}

struct Load {
    files: Vec<File>,
    file_idx: usize,
    offset: u64,
    session: Option<IngestSession>,
    /// File names, for the "Showing:" line (the bytes are not kept: a large export would
    /// double the tab's memory).
    names: Vec<String>,
    total_bytes: u64,
    reader: Option<FileReader>,
    dispatch: UseReducerDispatcher<AppState>,
    cancel: Rc<Cell<bool>>,
    config: Config,
}

/// Starts loading `files` with `config` (its mapping reads them); returns immediately.
/// `cancel` stops it at the next slice.
pub fn start(
    files: Vec<File>,
    dispatch: UseReducerDispatcher<AppState>,
    cancel: Rc<Cell<bool>>,
    config: Config,
) {
    if files.is_empty() {
        return;
    }
    let total_bytes: u64 = files.iter().map(|f| f.size()).sum();
    if total_bytes > MAX_TOTAL_BYTES {
        dispatch.dispatch(Action::Fail(format!(
            "These files are {:.1} GB together; this browser tab can analyse up to {:.1} GB. Load fewer or smaller exports (for example one year of events at a time), or use the command-line tool `waymark report`, which has no such limit.",
            total_bytes as f64 / 1e9,
            MAX_TOTAL_BYTES as f64 / 1e9
        )));
        return;
    }
    cancel.set(false);
    dispatch.dispatch(Action::StartReading {
        n_files: files.len(),
    });
    let names = files.iter().map(File::name).collect();
    let load = Rc::new(RefCell::new(Load {
        files,
        file_idx: 0,
        offset: 0,
        session: Some(IngestSession::new(config.mapping.clone())),
        names,
        total_bytes,
        reader: None,
        dispatch,
        cancel,
        config,
    }));
    next_slice(load);
}

fn next_slice(load: Rc<RefCell<Load>>) {
    let mut state = load.borrow_mut();
    if state.cancel.get() {
        state.dispatch.dispatch(Action::Cancelled);
        return;
    }
    let Some(file) = state.files.get(state.file_idx).cloned() else {
        drop(state);
        return finish(load);
    };
    if state.offset == 0 {
        let size = file.size();
        if let Some(session) = state.session.as_mut() {
            session.begin_file(&file.name(), Some(size));
        }
    }
    if state.offset >= file.size() {
        if let Some(session) = state.session.as_mut() {
            session.end_file();
        }
        state.file_idx += 1;
        state.offset = 0;
        drop(state);
        return next_slice(load);
    }
    let end = (state.offset + SLICE_BYTES).min(file.size());
    let slice: Blob = Blob::clone(&file).slice(state.offset, end);
    let for_callback = load.clone();
    state.reader = Some(gloo::file::callbacks::read_as_bytes(
        &slice,
        move |result| {
            let mut state = for_callback.borrow_mut();
            match result {
                Err(err) => {
                    let name = state
                        .files
                        .get(state.file_idx)
                        .map(File::name)
                        .unwrap_or_default();
                    state
                        .dispatch
                        .dispatch(Action::Fail(format!("Could not read {name}: {err}")));
                }
                Ok(bytes) => {
                    state.offset = end;
                    if let Some(session) = state.session.as_mut() {
                        session.push(&bytes);
                    }
                    let progress = Progress {
                        bytes_read: state.session.as_ref().map_or(0, |s| s.bytes_read()),
                        total_bytes: state.total_bytes,
                        rows_parsed: state.session.as_ref().map_or(0, |s| s.rows_parsed()),
                    };
                    state.dispatch.dispatch(Action::Progress(progress));
                    drop(state);
                    next_slice(for_callback.clone());
                }
            }
        },
    ));
}

fn finish(load: Rc<RefCell<Load>>) {
    let mut state = load.borrow_mut();
    let Some(session) = state.session.take() else {
        return;
    };
    let source = state.names.join(", ");
    let ingested = session.finish();
    let handles = Rc::new(state.files.clone());
    match pipeline::from_ingested(source, Rc::new(Vec::new()), ingested, state.config.clone()) {
        Ok(loaded) => state
            .dispatch
            .dispatch(Action::Loaded(crate::state::Loaded { handles, ..loaded })),
        Err(message) => state.dispatch.dispatch(Action::Fail(message)),
    }
}
