//! Presentational components: they take props and do no I/O.

pub mod validation;
pub mod chart;
