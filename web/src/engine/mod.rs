//! The analysis engine and the page talk through messages, so the engine can run in a web
//! worker and the page never freezes while a large export is parsed and analysed.
//!
//! - [`protocol`]: the requests and responses, encoded as MessagePack bytes.
//! - [`host`]: the engine side. It holds the parsed dataset (which never crosses to the page)
//!   and answers requests. It runs in `worker.js`, or in the page itself where a worker cannot
//!   start (the offline single-file build opened from disk).
//! - [`client`]: the page side. It starts the worker, sends requests and turns responses into
//!   the app's actions.
//! - [`snapshot`]: what the page receives after each analysis, and the pure functions that
//!   build it from a dataset.

pub mod client;
pub mod host;
pub mod protocol;
pub mod snapshot;
