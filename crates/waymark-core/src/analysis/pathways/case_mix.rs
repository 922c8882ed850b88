//! Case mix: do the pathways serve people of different baseline severity? Severity counts,
//! the chi-square test, the largest share difference and direct standardisation.

use super::*;

/// People per baseline severity band.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeverityCounts {
    pub low: u64,
    pub moderate: u64,
    pub high: u64,
    pub unknown: u64,
}

impl SeverityCounts {
    pub(super) fn add(&mut self, severity: Option<Severity>) {
        match severity {
            Some(Severity::Low) => self.low += 1,
            Some(Severity::Moderate) => self.moderate += 1,
            Some(Severity::High) => self.high += 1,
            None => self.unknown += 1,
        }
    }

    /// Adds another group's (or partition's) counts.
    pub(super) fn add_counts(&mut self, other: &SeverityCounts) {
        self.low += other.low;
        self.moderate += other.moderate;
        self.high += other.high;
        self.unknown += other.unknown;
    }

    pub(super) fn get(&self, severity: Severity) -> u64 {
        match severity {
            Severity::Low => self.low,
            Severity::Moderate => self.moderate,
            Severity::High => self.high,
        }
    }

    /// People with a recorded severity.
    pub fn known(&self) -> u64 {
        self.low + self.moderate + self.high
    }
}

/// One severity stratum of a directly standardised proportion.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Stratum {
    pub severity: Severity,
    /// Share of the standard population in this band.
    pub weight: f64,
    pub people: u64,
    pub successes: u64,
}

/// A proportion directly standardised to a standard population's severity mix.
///
/// # What it answers
/// What share of this pathway's people would have improved reliably if the pathway had served
/// people with the same mix of baseline severity as the whole service cohort?
///
/// # Formula
/// With standard weights w_s = N_s / N (N_s service-cohort people in severity band s, among
/// those with a recorded severity) and the pathway's stratum proportions p_s = x_s / n_s:
/// p_std = Σ_s w_s · p_s; Var = Σ_s w_s² · p_s(1 − p_s) / n_s; interval p_std ± z·√Var,
/// clipped to [0, 1].
///
/// # Remarks
/// Paired people with no recorded severity are left out of the strata (the crude proportion
/// here is over the stratified people only). `None` when a band with weight > 0 has no paired
/// people in the pathway (the standardised value would need a proportion that was not
/// observed). The interval is a normal (Wald) approximation: poor when a stratum is small or
/// its proportion is near 0 or 1.
///
/// # References
/// Breslow & Day (1987), *Statistical Methods in Cancer Research* vol. II, §2.3 (direct
/// standardisation and its variance); Kirkwood & Sterne (2003), *Essential Medical Statistics*,
/// 2nd ed., §18.4. Checked against a pandas computation (tests/reference/pathways_reference.py).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StandardisedProportion {
    pub proportion: f64,
    /// Successes / people over the strata, before standardisation.
    pub crude_proportion: f64,
    pub standard_error: f64,
    pub lower: f64,
    pub upper: f64,
    pub method: String,
    pub strata: Vec<Stratum>,
}

/// Does the case mix differ between pathways?
///
/// # Formula
/// Pearson's chi-square test of independence on the pathways × severity table of service-cohort
/// people with a recorded severity (rows and columns that are all zero dropped):
/// χ² = Σ (O − E)²/E with E = row total × column total / N, df = (rows − 1)(columns − 1),
/// no continuity correction. Alongside it, each pathway's share of each band is compared with
/// the whole service cohort's share.
///
/// # Remarks
/// `differs` is true when p < `case_mix_alpha` **or** any share differs by more than
/// `case_mix_share_difference`: the test alone flags trivial differences in very large data
/// and misses large ones in small data, the share rule alone ignores chance. The chi-square
/// approximation is poor when expected counts fall below about 5.
///
/// # References
/// Pearson (1900); Agresti (2013), *Categorical Data Analysis*, 3rd ed., §3.2. Checked against
/// scipy `chi2_contingency(correction=False)`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct CaseMix {
    /// The whole service cohort (the standard population for direct standardisation).
    pub service_cohort: SeverityCounts,
    pub pathways: Vec<(String, SeverityCounts)>,
    pub chi_square: Option<ChiSquareTest>,
    pub largest_share_difference: Option<ShareDifference>,
    pub differs: bool,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct ChiSquareTest {
    pub statistic: f64,
    pub degrees_of_freedom: usize,
    pub p_value: f64,
}

/// The severity band whose share in one pathway is furthest from the service cohort's.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ShareDifference {
    pub pathway: String,
    pub severity: Severity,
    pub pathway_share: f64,
    pub service_cohort_share: f64,
    /// pathway share − service cohort share.
    pub difference: f64,
}

pub(super) fn severity_slot(severity: Severity) -> usize {
    match severity {
        Severity::Low => 0,
        Severity::Moderate => 1,
        Severity::High => 2,
    }
}

pub(super) fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Low => "low",
        Severity::Moderate => "moderate",
        Severity::High => "high",
    }
}

/// Direct standardisation of one group's reliable improvement; see [`StandardisedProportion`].
pub(super) fn standardise(
    strata: &[(u64, u64); 3],
    weights: [f64; 3],
    confidence: Confidence,
) -> (Option<StandardisedProportion>, Option<String>) {
    let mut proportion = 0.0;
    let mut variance = 0.0;
    let mut out = Vec::with_capacity(3);
    for ((&(people, successes), weight), severity) in strata.iter().zip(weights).zip(SEVERITIES) {
        out.push(Stratum {
            severity,
            weight,
            people,
            successes,
        });
        if weight <= 0.0 {
            continue;
        }
        if people == 0 {
            return (
                None,
                Some(format!(
                    "No paired people with {} baseline severity in this group, so it cannot be standardised to the service cohort's mix.",
                    severity_name(severity)
                )),
            );
        }
        let p = successes as f64 / people as f64;
        proportion += weight * p;
        variance += weight * weight * p * (1.0 - p) / people as f64;
    }
    let (people, successes) = strata
        .iter()
        .fold((0u64, 0u64), |(n, x), &(pn, px)| (n + pn, x + px));
    let Some(z) = normal_critical(confidence.level()) else {
        return (None, None);
    };
    let standard_error = variance.sqrt();
    (
        Some(StandardisedProportion {
            proportion,
            crude_proportion: if people > 0 {
                successes as f64 / people as f64
            } else {
                0.0
            },
            standard_error,
            lower: (proportion - z * standard_error).max(0.0),
            upper: (proportion + z * standard_error).min(1.0),
            method: "direct standardisation to the service cohort's baseline-severity mix; \
                     normal-approximation interval with variance sum of w^2 p(1-p)/n"
                .to_string(),
            strata: out,
        }),
        None,
    )
}

/// Severity by pathway: the chi-square test and the largest share difference.
fn case_mix(pathways: &[String], counts: &[SeverityCounts], service: SeverityCounts) -> CaseMix {
    let mut mix = CaseMix {
        service_cohort: service,
        pathways: pathways
            .iter()
            .cloned()
            .zip(counts.iter().copied())
            .collect(),
        ..CaseMix::default()
    };
    let total = service.known();
    if total == 0 {
        return mix;
    }
    // Largest share difference.
    for (name, c) in pathways.iter().zip(counts) {
        let known = c.known();
        if known == 0 {
            continue;
        }
        for severity in SEVERITIES {
            let pathway_share = c.get(severity) as f64 / known as f64;
            let service_cohort_share = service.get(severity) as f64 / total as f64;
            let difference = pathway_share - service_cohort_share;
            let larger = mix
                .largest_share_difference
                .as_ref()
                .is_none_or(|d| difference.abs() > d.difference.abs());
            if larger {
                mix.largest_share_difference = Some(ShareDifference {
                    pathway: name.clone(),
                    severity,
                    pathway_share,
                    service_cohort_share,
                    difference,
                });
            }
        }
    }
    // Pearson chi-square over non-empty rows and columns.
    let rows: Vec<&SeverityCounts> = counts.iter().filter(|c| c.known() > 0).collect();
    let columns: Vec<Severity> = SEVERITIES
        .into_iter()
        .filter(|s| service.get(*s) > 0)
        .collect();
    if rows.len() >= 2 && columns.len() >= 2 {
        let n = total as f64;
        let mut statistic = 0.0;
        for row in &rows {
            for &column in &columns {
                let expected = row.known() as f64 * service.get(column) as f64 / n;
                let observed = row.get(column) as f64;
                statistic += (observed - expected).powi(2) / expected;
            }
        }
        let degrees_of_freedom = (rows.len() - 1) * (columns.len() - 1);
        mix.chi_square = ChiSquared::new(degrees_of_freedom as f64)
            .ok()
            .map(|d| ChiSquareTest {
                statistic,
                degrees_of_freedom,
                p_value: d.sf(statistic),
            });
    }
    mix
}

/// The case mix of the service pathways, with a warning when they serve people of different
/// baseline severity (by the chi-square test or the largest share difference).
pub(super) fn assess(
    groups: &Groups,
    severity: &[SeverityCounts],
    service_severity: SeverityCounts,
    config: &PathwayConfig,
    warnings: &mut Vec<String>,
) -> CaseMix {
    let pathways = groups.pathways;
    let case_mix = case_mix(
        &groups.names[..pathways],
        &severity[..pathways.min(severity.len())],
        service_severity,
    );
    if let Some(test) = &case_mix.chi_square {
        if test.p_value < config.case_mix_alpha {
            warnings.push(format!(
                "The pathways serve people of different baseline severity (chi-square test p = {:.3}): compare the severity-standardised figures, not only the crude ones.",
                test.p_value
            ));
        }
    }
    if let Some(diff) = &case_mix.largest_share_difference {
        if diff.difference.abs() > config.case_mix_share_difference {
            warnings.push(format!(
                "{}: {:.0}% of its people have {} baseline severity against {:.0}% across the service; compare the severity-standardised figures, not only the crude ones.",
                diff.pathway,
                100.0 * diff.pathway_share,
                severity_name(diff.severity),
                100.0 * diff.service_cohort_share
            ));
        }
    }
    let differs = case_mix
        .chi_square
        .is_some_and(|t| t.p_value < config.case_mix_alpha)
        || case_mix
            .largest_share_difference
            .as_ref()
            .is_some_and(|d| d.difference.abs() > config.case_mix_share_difference);
    CaseMix {
        differs,
        ..case_mix
    }
}
