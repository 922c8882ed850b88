//! The direction-of-travel engine: what changed for each person, and whether the service as a
//! whole is becoming more stable. Its report section is `direction_of_travel`
//! (`report::direction`), its app view "Direction of travel"; docs/methods.md describes it
//! under "Direction of travel". Each submodule owns one question:
//!
//! | module | question |
//! |---|---|
//! | [`outcomes`] | per person and measure: baseline, latest, reliable change, trajectory |
//! | [`trajectories`] | scores by months since baseline per person, and the median line |
//! | [`service`] | monthly service indicators per 100 person-months, each as an XmR chart |
//! | [`stability`] | connected indicators read together; early warning |
//! | [`goals`] | goal attainment, review compliance, static plans; [`audit`]: the required-fields audit |
//! | [`narrative`] | feedback beside the numbers; discordance; themes |
//!
//! [`crate::analysis::analyse`] runs them in that order on one person index.

pub mod audit;
pub mod goals;
pub mod narrative;
pub mod outcomes;
pub mod service;
pub mod stability;
pub mod trajectories;
