//! The caveats beside the figures: the time profile, the regression-to-the-mean check, the
//! assumptions stated and the warnings.

use super::*;

// ---------------------------------------------------------------------------------------
// Time profile, regression to the mean, assumptions and warnings
// ---------------------------------------------------------------------------------------

/// Month m's avoided cost: Σ_k Σ_t price_t × (pre rate_kt × E_k,m − Q_k,m,t); the months add
/// up to the naive gross figure.
pub(super) fn time_profile(
    model: &Model,
    sums: &Sums,
    month_exposure: &[f64],
    month_units: &[f64],
    n_months: usize,
) -> Vec<MonthlyAvoidance> {
    let k = model.k_types;
    let mut cumulative = 0.0;
    (0..n_months)
        .map(|m| {
            let mut person_months = 0.0;
            let mut gross = 0.0;
            for (p, row) in sums.service.chunks_exact(model.stride).enumerate() {
                let e_pre = row.first().copied().unwrap_or(0.0);
                let exposure = month_exposure.get(p * n_months + m).copied().unwrap_or(0.0);
                person_months += exposure;
                for (t, price) in model.prices.iter().enumerate() {
                    let Some(price) = price else { continue };
                    let pre = row.get(2 + t).copied().unwrap_or(0.0);
                    let post = month_units
                        .get((p * n_months + m) * k + t)
                        .copied()
                        .unwrap_or(0.0);
                    let expected = if e_pre > 0.0 {
                        pre / e_pre * exposure
                    } else {
                        0.0
                    };
                    gross += price * (expected - post);
                }
            }
            cumulative += gross;
            MonthlyAvoidance {
                month: m as u32 + 1,
                person_months,
                gross_avoided: Money(gross),
                cumulative_gross_avoided: Money(cumulative),
                cumulative_adjusted_avoided: Money(cumulative * model.factor),
            }
        })
        .collect()
}

pub(super) fn rtm_check(
    config: &ValueConfig,
    tracked: &[TrackedType],
    recent_units: &[f64],
    earlier_units: &[f64],
    recent_pm: f64,
    earlier_pm: f64,
) -> RegressionToMeanCheck {
    let threshold = config.rtm_ratio_threshold;
    let by_event_type: Vec<RecentUse> = tracked
        .iter()
        .zip(recent_units.iter().zip(earlier_units))
        .map(|(t, (recent, earlier))| {
            let recent_rate = ratio(*recent, recent_pm);
            let earlier_rate = ratio(*earlier, earlier_pm);
            let ratio = match (recent_rate, earlier_rate) {
                (Some(r), Some(e)) if e > 0.0 => Some(r / e),
                _ => None,
            };
            RecentUse {
                event_type: t.name.clone(),
                recent_units: *recent,
                recent_person_months: recent_pm,
                recent_rate,
                earlier_units: *earlier,
                earlier_person_months: earlier_pm,
                earlier_rate,
                ratio,
                flagged: *recent >= RTM_MIN_RECENT_UNITS && ratio.is_some_and(|r| r >= threshold),
            }
        })
        .collect();
    RegressionToMeanCheck {
        rule: format!(
            "Warn when, in the service cohort, an event type's rate in the last \
             {RTM_RECENT_MONTHS} months before start is at least {threshold} times its rate \
             earlier in the pre window, with at least {RTM_MIN_RECENT_UNITS} units in those \
             {RTM_RECENT_MONTHS} months."
        ),
        ratio_threshold: threshold,
        recent_months: RTM_RECENT_MONTHS,
        warning: by_event_type.iter().any(|r| r.flagged),
        by_event_type,
    }
}

pub(super) fn assumptions(config: &ValueConfig, settings: &Settings) -> Vec<String> {
    let history = if settings.history_start_from_data {
        format!(
            "Event history is assumed complete from {} (the earliest event date in the data) \
             onwards;",
            settings.history_start
        )
    } else {
        format!(
            "Event history is assumed complete from {} (history_start in the config) onwards;",
            settings.history_start
        )
    };
    vec![
        format!(
            "A person-month is {DAYS_PER_MONTH} days (365.25 / 12); windows are calendar months."
        ),
        format!(
            "{history} pre windows ({} months) beginning earlier were clipped to start then.",
            config.pre_months
        ),
        format!(
            "Post-start time runs from start_date for up to {} months and stops at end_date or \
             the reference date {} (both counted as days in service), whichever is first.",
            config.post_months, settings.reference_date
        ),
        "Quantities (for example bed days) are counted on the date of their row, even when a \
         stay runs past the end of a window."
            .to_string(),
        "Each pathway's own pre-start rate is its counterfactual; totals are sums over pathways, \
         so the breakdowns add up to them."
            .to_string(),
    ]
}

#[allow(clippy::too_many_arguments)]
pub(super) fn warnings(
    config: &ValueConfig,
    prices: &Prices,
    tracked: &[TrackedType],
    has_comparison: bool,
    rtm: &RegressionToMeanCheck,
    by_pathway: &[PathwayResult],
    pathway_names: &[String],
    service_rates: &[Option<Money>],
) -> Vec<String> {
    let mut out = Vec::new();
    let estimates: Vec<&str> = prices
        .used
        .iter()
        .filter(|u| u.estimate)
        .map(|u| u.event_type.as_str())
        .collect();
    if !estimates.is_empty() {
        out.push(format!(
            "Unit costs for {} are estimates, not confirmed against their source: confirm them \
             locally before quoting money figures.",
            estimates.join(", ")
        ));
    }
    if prices.price_year.is_none() && !prices.used.is_empty() {
        out.push(
            "Unit costs are in different price years and no analysis_year was given: the totals \
             add prices from different years. Set analysis_year and price_index to uplift them."
                .to_string(),
        );
    }
    let unpriced: Vec<&str> = tracked
        .iter()
        .filter(|t| t.price.is_none())
        .map(|t| t.name.as_str())
        .collect();
    if !unpriced.is_empty() {
        out.push(format!(
            "Counted but not priced (no unit cost), so they add units, not money: {}.",
            unpriced.join(", ")
        ));
    }
    if rtm.warning {
        let flagged: Vec<&str> = rtm
            .by_event_type
            .iter()
            .filter(|r| r.flagged)
            .map(|r| r.event_type.as_str())
            .collect();
        out.push(format!(
            "Regression to the mean: use of {} was much higher in the {} months before start \
             than earlier, so people were probably referred at a peak and would have used less \
             afterwards anyway. The naive figure overstates the effect{}.",
            flagged.join(", "),
            RTM_RECENT_MONTHS,
            if has_comparison {
                "; prefer the difference-in-differences figure"
            } else {
                "; add a comparison cohort to estimate how much"
            }
        ));
    }
    if !has_comparison {
        out.push(
            "No comparison cohort: the figure credits the service with every fall in use, \
             including what would have happened anyway."
                .to_string(),
        );
    }
    if config.attribution_percent >= 100.0 {
        out.push(
            "Attribution is 100%: all of the change is credited to this service and none to \
             other services or support."
                .to_string(),
        );
    }
    let missing: Vec<&str> = pathway_names
        .iter()
        .zip(service_rates)
        .filter(|(_, rate)| rate.is_none())
        .map(|(name, _)| name.as_str())
        .collect();
    if !missing.is_empty() {
        out.push(format!(
            "No service cost for {}: net value and return per pound are not available for \
             them or in total.",
            missing.join(", ")
        ));
    }
    if by_pathway.iter().any(|p| p.n_people < 10) {
        out.push(
            "Some pathways have fewer than 10 people: their figures are very uncertain."
                .to_string(),
        );
    }
    out
}
