//! The value engine: what a service's effect on crisis and acute service use is worth.
//!
//! [`cost_avoidance()`] compares each person's service use before and after the start of
//! support, prices the change with a [`UnitCostTable`], sets it against the cost of the
//! service, and reports the naive pre/post figure beside a difference-in-differences figure
//! when a comparison cohort is present, with bootstrap confidence intervals. The settings that
//! keep the figure honest (attribution, optimism bias, the regression-to-the-mean check) are
//! returned next to the result. `docs/methods.md ("Value: cost avoidance")` explains the method for analysts.

pub mod cost_avoidance;
pub mod headline;
pub mod unit_costs;

pub use cost_avoidance::{cost_avoidance, CostAvoidance};
pub use headline::{HeadlineBasis, ValueHeadline};
pub use unit_costs::{PriceIndex, UnitCost, UnitCostTable};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount of money in the currency named once in the result (never a rate or a count).
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Money(pub f64);

impl Money {
    /// The amount as every view, report and export prints it: whole units, thousands
    /// separated, a true minus sign (U+2212) before the currency symbol: "−£145", "£12,300".
    pub fn format(self, currency: Option<&str>) -> String {
        format_amount(self.0, currency, 0)
    }

    /// A unit price, to the penny: "£1,234.50".
    pub fn format_price(self, currency: Option<&str>) -> String {
        format_amount(self.0, currency, 2)
    }
}

/// The one money format (see [`Money::format`]). Currencies other than GBP are written after
/// the amount ("1,200 EUR"); no currency means GBP, the unit-cost table's default.
fn format_amount(amount: f64, currency: Option<&str>, decimals: usize) -> String {
    let currency = currency.unwrap_or("GBP");
    let scale = 10f64.powi(decimals as i32);
    let rounded = (amount.abs() * scale).round();
    let sign = if amount < 0.0 && rounded > 0.0 {
        "\u{2212}"
    } else {
        ""
    };
    let whole = (rounded / scale).trunc() as u64;
    let digits = whole.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    if decimals > 0 {
        let fraction = (rounded - whole as f64 * scale) as u64;
        grouped.push_str(&format!(".{fraction:0decimals$}"));
    }
    match currency {
        "GBP" => format!("{sign}£{grouped}"),
        other => format!("{sign}{grouped} {other}"),
    }
}

impl Estimate<Money> {
    /// "£12,300 (95% CI £8,100 to £16,900)", or the figure alone when there is no interval.
    pub fn format(&self, currency: Option<&str>) -> String {
        match &self.ci95 {
            Some(ci) => format!(
                "{} (95% CI {} to {})",
                self.value.format(currency),
                ci.lower.format(currency),
                ci.upper.format(currency)
            ),
            None => self.value.format(currency),
        }
    }
}

/// A point estimate with its bootstrap 95% percentile interval (absent when bootstrapping is
/// switched off or some resample left the statistic undefined).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate<T> {
    pub value: T,
    pub ci95: Option<Interval<T>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Interval<T> {
    pub lower: T,
    pub upper: T,
}

/// What the service costs per person-month on one pathway.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceCost {
    /// Matched to `people.pathway` ignoring case and punctuation.
    pub pathway: String,
    pub cost_per_person_month: f64,
    /// Must equal the unit-cost table's currency (for example `GBP`).
    pub currency: String,
    /// The price year of the cost; uplifted to `analysis_year` when both are given.
    #[serde(default)]
    pub price_year: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
}

/// Everything the cost-avoidance analysis needs besides the data. Deserialises from the
/// project's JSON/TOML config; unknown keys are rejected so a misspelt setting is not ignored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueConfig {
    /// Calendar months before `start_date` that make up the pre window (default 12).
    #[serde(default = "default_window_months")]
    pub pre_months: u32,
    /// Calendar months from `start_date` that make up the post window (default 12).
    #[serde(default = "default_window_months")]
    pub post_months: u32,
    /// The shortest observed pre-start history, in calendar months, for a person to be priced
    /// (default 3). People who started less than this after the event history begins would be
    /// priced from (nearly) empty windows, which reads as a rise in use: they are left out and
    /// counted instead.
    #[serde(default = "default_min_pre_months")]
    pub min_pre_months: u32,
    /// The data's extraction date: exposure ends on it (inclusive). No clock is read. When
    /// absent, the analysis's reference date is used (`config::analyse_and_report` fills it).
    #[serde(default)]
    pub reference_date: Option<NaiveDate>,
    /// The first date the events export covers. Default: the earliest event date in the data.
    #[serde(default)]
    pub history_start: Option<NaiveDate>,
    #[serde(default = "UnitCostTable::uk_defaults")]
    pub unit_costs: UnitCostTable,
    /// Event types counted even without a unit cost (rates and avoided units, no money).
    /// Event types with a unit cost are always counted.
    #[serde(default = "default_counted_event_types")]
    pub counted_event_types: Vec<String>,
    #[serde(default)]
    pub service_costs: Vec<ServiceCost>,
    /// Share of the avoided cost credited to this service, 0–100 (default 100).
    #[serde(default = "default_attribution")]
    pub attribution_percent: f64,
    /// Optimism-bias reduction applied to the avoided cost, 0–100 (default 0).
    #[serde(default)]
    pub optimism_bias_percent: f64,
    /// Bootstrap resamples (default 1000; 0 switches the intervals off).
    #[serde(default = "default_resamples")]
    pub bootstrap_resamples: u32,
    /// Seed of the bootstrap's xoshiro256++ generator (`stats::bootstrap::Resampler`).
    #[serde(default)]
    pub seed: u64,
    /// Price year every cost is uplifted to (for example `2024/25`); none: no uplift.
    #[serde(default)]
    pub analysis_year: Option<String>,
    /// Price index by price year, used for uplift: price × index[analysis] / index[price year].
    #[serde(default)]
    pub price_index: PriceIndex,
    /// Regression-to-the-mean rule: warn when the last-3-months rate before start is at least
    /// this many times the earlier pre-window rate (default 1.25).
    #[serde(default = "default_rtm_ratio")]
    pub rtm_ratio_threshold: f64,
}

fn default_window_months() -> u32 {
    12
}
fn default_min_pre_months() -> u32 {
    3
}
fn default_attribution() -> f64 {
    100.0
}
fn default_resamples() -> u32 {
    1000
}
fn default_rtm_ratio() -> f64 {
    1.25
}

/// The acute service use the issue lists: ED attendances, admissions, bed days, crisis
/// contacts, ambulance call-outs and police contacts (demo spellings).
pub fn default_counted_event_types() -> Vec<String> {
    [
        "ed_attendance",
        "admission",
        "bed_day",
        "crisis_contact",
        "ambulance_callout",
        "police_contact",
    ]
    .into_iter()
    .map(str::to_string)
    .collect()
}

impl Default for ValueConfig {
    /// The defaults with no reference date (the pipeline supplies the analysis's).
    fn default() -> Self {
        ValueConfig {
            reference_date: None,
            ..ValueConfig::new(NaiveDate::default())
        }
    }
}

impl ValueConfig {
    /// Checks the settings and the unit-cost table without any data: the first problem, naming
    /// the setting or unit cost and what to change. The app refuses an edit that fails it.
    pub fn check(&self) -> Result<(), ValueError> {
        cost_avoidance::check_settings(self)?;
        cost_avoidance::resolve_prices(self).map(|_| ())
    }

    /// The defaults, with the given reference date.
    pub fn new(reference_date: NaiveDate) -> ValueConfig {
        ValueConfig {
            pre_months: default_window_months(),
            post_months: default_window_months(),
            min_pre_months: default_min_pre_months(),
            reference_date: Some(reference_date),
            history_start: None,
            unit_costs: UnitCostTable::uk_defaults(),
            counted_event_types: default_counted_event_types(),
            service_costs: Vec::new(),
            attribution_percent: default_attribution(),
            optimism_bias_percent: 0.0,
            bootstrap_resamples: default_resamples(),
            seed: 0,
            analysis_year: None,
            price_index: PriceIndex::new(),
            rtm_ratio_threshold: default_rtm_ratio(),
        }
    }
}

/// Why a value analysis could not be run; each says what to change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ValueError {
    /// A setting is out of range.
    InvalidSetting {
        setting: String,
        reason: String,
    },
    /// A unit-cost row cannot be used.
    InvalidUnitCost {
        event_type: String,
        reason: String,
    },
    DuplicateUnitCost {
        event_type: String,
    },
    DuplicateServiceCost {
        pathway: String,
    },
    /// Costs in two currencies cannot be added.
    MixedCurrencies {
        expected: String,
        found: String,
    },
    /// Uplift needs an index value for this price year.
    MissingPriceIndex {
        year: String,
    },
    /// The events table is empty.
    NoEvents,
    /// No one in the service cohort has both pre-start history and post-start time.
    NoAnalysablePeople,
    /// No one in the figure has a counted event in either window: the events do not match the
    /// people (IDs) or their types are not counted.
    NoCountedEvents {
        people: usize,
        events_without_person: usize,
    },
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueError::InvalidSetting { setting, reason } => {
                write!(f, "setting `{setting}`: {reason}")
            }
            ValueError::InvalidUnitCost { event_type, reason } => {
                write!(f, "unit cost for `{event_type}`: {reason}")
            }
            ValueError::DuplicateUnitCost { event_type } => write!(
                f,
                "the unit-cost table lists `{event_type}` more than once: keep one row"
            ),
            ValueError::DuplicateServiceCost { pathway } => write!(
                f,
                "service costs list pathway `{pathway}` more than once: keep one row"
            ),
            ValueError::MixedCurrencies { expected, found } => write!(
                f,
                "costs are in {expected} and {found}: convert them to one currency"
            ),
            ValueError::MissingPriceIndex { year } => write!(
                f,
                "the price index has no value for {year}: add it to `price_index` to uplift prices"
            ),
            ValueError::NoEvents => write!(f, "the events table is empty: load an events export"),
            ValueError::NoAnalysablePeople => write!(
                f,
                "no one in the service cohort started on or before the reference date with event \
                 history before their start: check start dates, the reference date and history_start"
            ),
            ValueError::NoCountedEvents {
                people,
                events_without_person,
            } => write!(
                f,
                "none of the {people} people who could be priced has a counted event before or after \
                 their start ({events_without_person} event rows name people who are not in the people \
                 file): check that the events file's person IDs match the people file and that its \
                 event types are ones Waymark counts"
            ),
        }
    }
}

impl std::error::Error for ValueError {}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected strings written by hand from the rule in [`Money::format`].
    #[test]
    fn money_has_one_format() {
        let gbp = Some("GBP");
        assert_eq!(Money(-145.0).format(gbp), "\u{2212}£145");
        assert_eq!(
            Money(-0.4).format(gbp),
            "£0",
            "no minus on a figure that rounds to 0"
        );
        assert_eq!(Money(952_140.4).format(None), "£952,140");
        assert_eq!(Money(1_000.0).format(gbp), "£1,000");
        assert_eq!(Money(999.5).format(gbp), "£1,000");
        assert_eq!(Money(1234.5).format_price(gbp), "£1,234.50");
        assert_eq!(Money(0.005).format_price(gbp), "£0.01");
        assert_eq!(Money(-72_860.0).format(Some("EUR")), "\u{2212}72,860 EUR");
        let estimate = Estimate {
            value: Money(673_081.0),
            ci95: Some(Interval {
                lower: Money(-72_860.0),
                upper: Money(1_408_439.0),
            }),
        };
        assert_eq!(
            estimate.format(gbp),
            "£673,081 (95% CI \u{2212}£72,860 to £1,408,439)"
        );
    }
}
