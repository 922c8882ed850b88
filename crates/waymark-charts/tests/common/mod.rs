//! Shared test helpers: fixtures and an XML well-formedness checker.
#![allow(dead_code)]

pub mod fixtures;
pub mod xml;
