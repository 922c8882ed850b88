//! The value figure a commissioner is shown first: the most defensible one, with its interval
//! and the caveat that matters most beside it. Chosen once here; the overview, the value view,
//! the report (HTML and JSON) and the widgets all print this.
//!
//! # Rule
//! - With a comparison cohort, the lead is the difference-in-differences figure (adjusted for
//!   attribution and optimism bias) with its bootstrap interval. When that interval includes
//!   zero, the statement says plainly that the saving cannot be told apart from none.
//! - Without one, the lead is the before-and-after figure, labelled an upper bound: it credits
//!   the service with every fall in use, including the fall that would have happened anyway
//!   (regression to the mean), which a before/after comparison cannot separate out.
//!
//! # References
//! HM Treasury (2022), *The Green Book*, 5.16–5.22 (additionality: compare with what would
//! have happened anyway) and A2 (optimism bias); Barnett, van der Pols & Dobson (2005), Int J
//! Epidemiol 34:215–220 (regression to the mean in before/after comparisons).

use super::cost_avoidance::CostAvoidance;
use super::{Estimate, Money};
use serde::{Deserialize, Serialize};

/// Which comparison the headline figure rests on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HeadlineBasis {
    /// Against the comparison cohort.
    DifferenceInDifferences,
    /// Before and after start, with no comparison: an upper bound.
    BeforeAfterUpperBound,
}

/// The lead value figure with what a reader needs to quote it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValueHeadline {
    pub basis: HeadlineBasis,
    /// What the figure is, in a few words ("Cost avoided against the comparison cohort").
    pub label: String,
    /// Adjusted for attribution and optimism bias, with its 95% interval.
    pub estimate: Estimate<Money>,
    pub currency: Option<String>,
    /// The 95% interval includes zero (or there is no interval and the figure is not positive).
    pub indistinguishable_from_zero: bool,
    /// One plain sentence: the figure, its basis and how sure we can be.
    pub statement: String,
    /// The caveat to print beside the figure.
    pub caveat: String,
}

impl CostAvoidance {
    /// The most defensible value figure (see the module's rule).
    pub fn headline(&self) -> ValueHeadline {
        let currency = self.currency.clone();
        let cur = self.currency.as_deref();
        let adjustment = format!(
            "after {}% attribution and {}% optimism bias",
            self.settings.attribution_percent, self.settings.optimism_bias_percent
        );
        match &self.difference_in_differences {
            Some(did) => {
                let estimate = did.value.adjusted_avoided;
                let crosses = crosses_zero(&estimate);
                let statement = if crosses {
                    format!(
                        "Against the comparison cohort, the service avoided an estimated {} {adjustment}. \
                         The interval includes zero: the saving cannot be told apart from no saving.",
                        estimate.format(cur)
                    )
                } else if estimate.value.0 < 0.0 {
                    format!(
                        "Against the comparison cohort, people used more services than expected: \
                         {} {adjustment}.",
                        estimate.format(cur)
                    )
                } else {
                    format!(
                        "Against the comparison cohort, the service avoided an estimated {} {adjustment}.",
                        estimate.format(cur)
                    )
                };
                ValueHeadline {
                    basis: HeadlineBasis::DifferenceInDifferences,
                    label: "Cost avoided against the comparison cohort (difference-in-differences, 95% CI)".into(),
                    estimate,
                    currency,
                    indistinguishable_from_zero: crosses,
                    statement,
                    caveat: format!(
                        "The comparison cohort stands for what would have happened anyway; the \
                         simple before-and-after figure, {}, is an upper bound.",
                        self.naive.adjusted_avoided.value.format(cur)
                    ),
                }
            }
            None => {
                let estimate = self.naive.adjusted_avoided;
                let crosses = crosses_zero(&estimate);
                let mut caveat = String::from(
                    "An upper bound: with no comparison cohort, every fall in use is credited to the \
                     service, including the fall that would have happened anyway (regression to the mean).",
                );
                if self.regression_to_the_mean.warning {
                    caveat.push_str(
                        " Use rose sharply in the months before start, so part of this fall is likely \
                         to be regression to the mean.",
                    );
                }
                let statement = if crosses {
                    format!(
                        "At most {} {adjustment}, before and after start with no comparison. The \
                         interval includes zero: the saving cannot be told apart from no saving.",
                        estimate.format(cur)
                    )
                } else {
                    format!(
                        "At most {} {adjustment}, before and after start with no comparison.",
                        estimate.format(cur)
                    )
                };
                ValueHeadline {
                    basis: HeadlineBasis::BeforeAfterUpperBound,
                    label: "Cost avoided, before and after start: upper bound (95% CI)".into(),
                    estimate,
                    currency,
                    indistinguishable_from_zero: crosses,
                    statement,
                    caveat,
                }
            }
        }
    }
}

/// The interval includes zero; with no interval, a figure that is not positive.
fn crosses_zero(estimate: &Estimate<Money>) -> bool {
    match &estimate.ci95 {
        Some(ci) => ci.lower.0 <= 0.0 && ci.upper.0 >= 0.0,
        None => estimate.value.0 <= 0.0,
    }
}
