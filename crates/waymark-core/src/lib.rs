//! Waymark's core: everything that turns case-management exports into evidence, as pure
//! functions of their inputs.
//!
//! No I/O, no clock, no global randomness: files arrive as bytes, the analysis date and any
//! seed are parameters. The same code runs natively (CLI, tests, benchmarks) and in the
//! browser (web app, widgets) as WebAssembly.

pub mod analysis;
pub mod config;
pub mod demo;
pub mod disclosure;
pub mod filter;
pub mod ingest;
pub mod issues;
pub mod measures;
pub mod model;
pub mod report;
pub mod stats;
pub mod value;

pub use ingest::mapping::MappingConfig;
pub use ingest::{ingest, FilePreview, Ingested, InputFile, ValidationReport};
pub use issues::{Issue, IssueCode, IssueSeverity};
pub use model::{Dataset, TableKind};
