//! Unit costs: what one unit of each kind of service use costs, where the figure comes from,
//! its price year, and whether it is a confirmed figure or an estimate to confirm locally.

use super::ValueError;
use crate::model::normalise_header;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Price index values by price year (`"2022/23" -> 100.0`), used to uplift prices.
pub type PriceIndex = BTreeMap<String, f64>;

/// One row of the unit-cost table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitCost {
    /// Matched to `events.event_type` ignoring case and punctuation (`ED attendance` matches
    /// `ed_attendance`).
    pub event_type: String,
    /// ISO 4217 code, such as `GBP`.
    pub currency: String,
    /// What one unit is (`attendance`, `bed day`): events' `quantity` counts these units.
    pub unit: String,
    pub price: f64,
    /// The financial or calendar year the price is expressed in, such as `2022/23`.
    pub price_year: String,
    pub source: String,
    /// True when the figure has not been confirmed against its source.
    #[serde(default)]
    pub estimate: bool,
    #[serde(default)]
    pub note: Option<String>,
}

/// The unit-cost table: one row per event type, all in one currency.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UnitCostTable {
    pub rows: Vec<UnitCost>,
}

const CONFIRM_LOCALLY: &str = "Estimate, not confirmed against the named source: confirm locally \
     (look up the line named here in the source, or use your local finance figure) before \
     quoting results.";

fn estimate(event_type: &str, unit: &str, price: f64, source: &str) -> UnitCost {
    UnitCost {
        event_type: event_type.to_string(),
        currency: "GBP".to_string(),
        unit: unit.to_string(),
        price,
        price_year: "2022/23".to_string(),
        source: source.to_string(),
        estimate: true,
        note: Some(CONFIRM_LOCALLY.to_string()),
    }
}

impl UnitCostTable {
    /// UK defaults in 2022/23 prices, every one flagged `estimate = true`.
    ///
    /// # Remarks
    /// None of these figures could be confirmed against PSSRU's *Unit Costs of Health and
    /// Social Care 2023* or NHS England's *National Cost Collection 2022/23* while building
    /// Waymark (the searchable sources held only older editions), so each carries the note
    /// "confirm locally" and the result warns while any is in use. The ED figure is the
    /// approximate Type 1 A&E cost from the project's first methods brief, itself unconfirmed
    /// (docs/methods.md, "Unit costs"); the others are round indicative values. Admissions are deliberately not priced:
    /// their cost is carried by bed days, and pricing both would count the stay twice.
    ///
    /// # References
    /// Jones, Weatherly et al. (2024), *Unit Costs of Health and Social Care 2023 Manual*,
    /// PSSRU (University of Kent) & Centre for Health Economics (University of York);
    /// NHS England, *2022/23 National Cost Collection data*; GMCA (New Economy) Unit Cost
    /// Database v3.0 for police time.
    pub fn uk_defaults() -> UnitCostTable {
        UnitCostTable {
            rows: vec![
                estimate(
                    "ed_attendance",
                    "attendance",
                    282.0,
                    "NHS England National Cost Collection 2022/23: emergency medicine, Type 1 \
                     A&E attendance (average)",
                ),
                estimate(
                    "bed_day",
                    "bed day",
                    500.0,
                    "NHS England National Cost Collection 2022/23: mental health adult acute \
                     inpatient care, cost per bed day",
                ),
                estimate(
                    "crisis_contact",
                    "contact",
                    250.0,
                    "PSSRU Unit Costs of Health and Social Care 2023: crisis resolution and home \
                     treatment team, cost per contact",
                ),
                estimate(
                    "ambulance_callout",
                    "call-out",
                    400.0,
                    "NHS England National Cost Collection 2022/23: ambulance, see and treat or \
                     convey",
                ),
                estimate(
                    "police_contact",
                    "contact",
                    150.0,
                    "GMCA Unit Cost Database v3.0: police response to an incident (uplift to \
                     2022/23)",
                ),
            ],
        }
    }

    /// The row for an event type, matched ignoring case and punctuation.
    pub fn find(&self, event_type: &str) -> Option<&UnitCost> {
        let key = normalise_header(event_type);
        self.rows
            .iter()
            .find(|row| normalise_header(&row.event_type) == key)
    }

    /// Checks every row (finite, non-negative price; named event type; one currency; no
    /// event type twice) and returns the table's currency (`None` for an empty table).
    pub fn validate(&self) -> Result<Option<String>, ValueError> {
        let mut seen = Vec::new();
        let mut currency: Option<&str> = None;
        for row in &self.rows {
            let key = normalise_header(&row.event_type);
            if key.is_empty() {
                return Err(ValueError::InvalidUnitCost {
                    event_type: row.event_type.clone(),
                    reason: "the event type is blank".to_string(),
                });
            }
            if !(row.price.is_finite() && row.price >= 0.0) {
                return Err(ValueError::InvalidUnitCost {
                    event_type: row.event_type.clone(),
                    reason: format!("price must be a number of 0 or more, found {}", row.price),
                });
            }
            if seen.contains(&key) {
                return Err(ValueError::DuplicateUnitCost {
                    event_type: row.event_type.clone(),
                });
            }
            seen.push(key);
            let code = row.currency.trim();
            match currency {
                None => currency = Some(code),
                Some(first) if !first.eq_ignore_ascii_case(code) => {
                    return Err(ValueError::MixedCurrencies {
                        expected: first.to_string(),
                        found: code.to_string(),
                    })
                }
                Some(_) => {}
            }
        }
        Ok(currency.map(|c| c.to_ascii_uppercase()))
    }
}

/// Re-expresses a price in another price year.
///
/// # Formula
/// uplifted = price × index[to_year] / index[from_year] (HM Treasury Green Book: costs in
/// real terms of one base year, converted with a price index such as the GDP deflator or the
/// NHS Cost Inflation Index).
///
/// # Remarks
/// No uplift when the years are equal (the index is then not needed). A missing year is an
/// error naming it; an index value that is not a positive finite number is an invalid setting.
pub fn uplift(
    price: f64,
    from_year: &str,
    to_year: &str,
    index: &PriceIndex,
) -> Result<f64, ValueError> {
    if from_year.trim() == to_year.trim() {
        return Ok(price);
    }
    let value = |year: &str| -> Result<f64, ValueError> {
        let found =
            index
                .get(year.trim())
                .copied()
                .ok_or_else(|| ValueError::MissingPriceIndex {
                    year: year.trim().to_string(),
                })?;
        if found.is_finite() && found > 0.0 {
            Ok(found)
        } else {
            Err(ValueError::InvalidSetting {
                setting: format!("price_index[{year}]"),
                reason: format!("an index value must be a positive number, found {found}"),
            })
        }
    };
    Ok(price * value(to_year)? / value(from_year)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_all_estimates_in_one_currency() {
        let table = UnitCostTable::uk_defaults();
        assert_eq!(table.validate(), Ok(Some("GBP".to_string())));
        assert!(table
            .rows
            .iter()
            .all(|row| row.estimate && row.note.is_some()));
        assert!(table.find("ED Attendance").is_some());
        assert!(table.find("admission").is_none());
    }

    #[test]
    fn uplift_uses_the_index_ratio_and_names_missing_years() {
        let index: PriceIndex = [
            ("2022/23".to_string(), 100.0),
            ("2024/25".to_string(), 106.0),
        ]
        .into_iter()
        .collect();
        let up = uplift(200.0, "2022/23", "2024/25", &index);
        assert!(matches!(up, Ok(v) if (v - 212.0).abs() < 1e-9));
        assert_eq!(
            uplift(200.0, "2021/22", "2024/25", &index),
            Err(ValueError::MissingPriceIndex {
                year: "2021/22".to_string()
            })
        );
        assert_eq!(uplift(5.0, "x", "x", &PriceIndex::new()), Ok(5.0));
    }

    #[test]
    fn config_rejects_unknown_fields_and_bad_rows() {
        let bad = r#"[{"event_type":"a","currency":"GBP","unit":"u","price":1,"price_year":"2022/23","source":"s","colour":"red"}]"#;
        assert!(serde_json::from_str::<UnitCostTable>(bad).is_err());
        let mixed = UnitCostTable {
            rows: vec![
                estimate("a", "u", 1.0, "s"),
                UnitCost {
                    currency: "EUR".to_string(),
                    ..estimate("b", "u", 1.0, "s")
                },
            ],
        };
        assert!(matches!(
            mixed.validate(),
            Err(ValueError::MixedCurrencies { .. })
        ));
        let negative = UnitCostTable {
            rows: vec![estimate("a", "u", -1.0, "s")],
        };
        assert!(matches!(
            negative.validate(),
            Err(ValueError::InvalidUnitCost { .. })
        ));
    }
}
