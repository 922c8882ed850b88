//! Presentational components: they take props and do no I/O.

pub mod chart;
pub mod filters;
pub mod mapping;
pub mod validation;
