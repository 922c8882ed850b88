//! The settings checked, the unit costs and service costs resolved, and the event types counted.

use super::*;

// ---------------------------------------------------------------------------------------
// Settings, prices and event types
// ---------------------------------------------------------------------------------------

pub(super) fn invalid(setting: &str, reason: String) -> ValueError {
    ValueError::InvalidSetting {
        setting: setting.to_string(),
        reason,
    }
}

pub(in crate::value) fn check_settings(config: &ValueConfig) -> Result<(), ValueError> {
    for (name, months) in [
        ("pre_months", config.pre_months),
        ("post_months", config.post_months),
    ] {
        if !(1..=LARGEST_WINDOW_MONTHS).contains(&months) {
            return Err(invalid(
                name,
                format!("must be 1 to {LARGEST_WINDOW_MONTHS} months, found {months}"),
            ));
        }
    }
    if config.min_pre_months > config.pre_months {
        return Err(invalid(
            "min_pre_months",
            format!(
                "must be at most pre_months ({}), found {}",
                config.pre_months, config.min_pre_months
            ),
        ));
    }
    for (name, value) in [
        ("attribution_percent", config.attribution_percent),
        ("optimism_bias_percent", config.optimism_bias_percent),
    ] {
        if !(value.is_finite() && (0.0..=100.0).contains(&value)) {
            return Err(invalid(name, format!("must be 0 to 100, found {value}")));
        }
    }
    if config.bootstrap_resamples > LARGEST_RESAMPLES {
        return Err(invalid(
            "bootstrap_resamples",
            format!(
                "at most {LARGEST_RESAMPLES}, found {}",
                config.bootstrap_resamples
            ),
        ));
    }
    if !(config.rtm_ratio_threshold.is_finite() && config.rtm_ratio_threshold >= 1.0) {
        return Err(invalid(
            "rtm_ratio_threshold",
            format!(
                "must be a number of 1 or more, found {}",
                config.rtm_ratio_threshold
            ),
        ));
    }
    Ok(())
}

pub(in crate::value) struct Prices {
    pub(super) currency: Option<String>,
    pub(super) price_year: Option<String>,
    pub(super) used: Vec<UnitCostUsed>,
}

pub(in crate::value) fn resolve_prices(config: &ValueConfig) -> Result<Prices, ValueError> {
    let currency = config.unit_costs.validate()?;
    let mut used = Vec::with_capacity(config.unit_costs.rows.len());
    for row in &config.unit_costs.rows {
        let uplifted = match &config.analysis_year {
            Some(year) => uplift(row.price, &row.price_year, year, &config.price_index)?,
            None => row.price,
        };
        used.push(UnitCostUsed {
            event_type: row.event_type.clone(),
            unit: row.unit.clone(),
            price: Money(row.price),
            price_year: row.price_year.clone(),
            uplifted_price: Money(uplifted),
            source: row.source.clone(),
            estimate: row.estimate,
            note: row.note.clone(),
        });
    }
    let price_year = match &config.analysis_year {
        Some(year) => Some(year.clone()),
        None => {
            let first = config.unit_costs.rows.first().map(|r| r.price_year.trim());
            let same = config
                .unit_costs
                .rows
                .iter()
                .all(|r| Some(r.price_year.trim()) == first);
            if same {
                first.map(str::to_string)
            } else {
                None
            }
        }
    };
    Ok(Prices {
        currency,
        price_year,
        used,
    })
}

/// Service cost per person-month for each service pathway (uplifted), in pathway index order.
pub(super) fn resolve_service_costs(
    config: &ValueConfig,
    pathways: &[String],
    currency: Option<&str>,
) -> Result<Vec<Option<Money>>, ValueError> {
    let mut keys: Vec<String> = Vec::new();
    for cost in &config.service_costs {
        let key = normalise_header(&cost.pathway);
        if keys.contains(&key) {
            return Err(ValueError::DuplicateServiceCost {
                pathway: cost.pathway.clone(),
            });
        }
        keys.push(key);
        if !(cost.cost_per_person_month.is_finite() && cost.cost_per_person_month >= 0.0) {
            return Err(invalid(
                "service_costs",
                format!(
                    "cost per person-month for `{}` must be 0 or more, found {}",
                    cost.pathway, cost.cost_per_person_month
                ),
            ));
        }
        if let Some(expected) = currency {
            if !expected.eq_ignore_ascii_case(cost.currency.trim()) {
                return Err(ValueError::MixedCurrencies {
                    expected: expected.to_string(),
                    found: cost.currency.trim().to_string(),
                });
            }
        }
    }
    pathways
        .iter()
        .map(|pathway| {
            let key = normalise_header(pathway);
            let Some(cost) = config
                .service_costs
                .iter()
                .find(|c| normalise_header(&c.pathway) == key)
            else {
                return Ok(None);
            };
            let rate = match (&cost.price_year, &config.analysis_year) {
                (Some(from), Some(to)) => {
                    uplift(cost.cost_per_person_month, from, to, &config.price_index)?
                }
                _ => cost.cost_per_person_month,
            };
            Ok(Some(Money(rate)))
        })
        .collect()
}

/// An event type the analysis counts.
pub(super) struct TrackedType {
    pub(super) name: String,
    pub(super) key: String,
    pub(super) unit: Option<String>,
    pub(super) price: Option<f64>,
    pub(super) estimate: bool,
}

/// The counted types, then any priced type not already listed.
pub(super) fn tracked_event_types(config: &ValueConfig, prices: &Prices) -> Vec<TrackedType> {
    let mut tracked: Vec<TrackedType> = Vec::new();
    let names = config
        .counted_event_types
        .iter()
        .chain(config.unit_costs.rows.iter().map(|row| &row.event_type));
    for name in names {
        let key = normalise_header(name);
        if key.is_empty() || tracked.iter().any(|t| t.key == key) {
            continue;
        }
        let row: Option<(&UnitCost, &UnitCostUsed)> = config
            .unit_costs
            .rows
            .iter()
            .zip(&prices.used)
            .find(|(row, _)| normalise_header(&row.event_type) == key);
        tracked.push(TrackedType {
            name: name.trim().to_string(),
            key,
            unit: row.map(|(r, _)| r.unit.clone()),
            price: row.map(|(_, used)| used.uplifted_price.0),
            estimate: row.is_some_and(|(r, _)| r.estimate),
        });
    }
    tracked
}
