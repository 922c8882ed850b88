//! Funnel plots: teams and pathways by reliable improvement on the primary measure, and by
//! crisis contacts as observed / expected.

use super::*;

/// What a funnel's units are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FunnelUnits {
    Team,
    Pathway,
}

impl FunnelUnits {
    /// What one unit is called in a sentence ("by team").
    pub fn noun(self) -> &'static str {
        match self {
            FunnelUnits::Team => "team",
            FunnelUnits::Pathway => "pathway",
        }
    }
}

/// One funnel plot's data: units named in `unit_names` (a point's `unit_idx` indexes it).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FunnelData {
    pub units: FunnelUnits,
    pub indicator: String,
    /// How the plotted value is built (what is divided by what, and any standardisation).
    pub standardisation: String,
    pub unit_names: Vec<String>,
    pub funnel: Option<Funnel>,
    /// Why there is no funnel, when there is none.
    pub note: Option<String>,
}

/// The service cohort's teams (in the order first met): crisis events, person-months in
/// service, and people paired and reliably improved on the primary measure. Additive across
/// partitions of the people ([`TeamCounts::add`], teams matched by name).
#[derive(Clone, Debug, Default)]
pub(super) struct TeamCounts {
    pub names: Vec<String>,
    pub crises: Vec<u64>,
    pub person_months: Vec<f64>,
    pub paired: Vec<u64>,
    pub improved: Vec<u64>,
}

impl TeamCounts {
    pub fn count(
        data: &Dataset,
        facts: &[Option<PersonFacts>],
        n_pathways: usize,
        primary: Option<&MeasureRule>,
        outcomes: &OutcomesAnalysis,
    ) -> TeamCounts {
        let mut team_labels: Vec<Label> = Vec::new();
        let mut team_of = vec![None; facts.len()];
        let mut teams = TeamCounts::default();
        for (p, fact) in facts.iter().enumerate() {
            let Some(f) = fact.filter(|f| f.group < n_pathways) else {
                continue;
            };
            let Some(label) = data.people.team.get(p).copied().flatten() else {
                continue;
            };
            let t = match team_labels.iter().position(|l| *l == label) {
                Some(t) => t,
                None => {
                    team_labels.push(label);
                    teams.names.push(data.text.text(label).to_string());
                    teams.crises.push(0);
                    teams.person_months.push(0.0);
                    teams.paired.push(0);
                    teams.improved.push(0);
                    team_labels.len() - 1
                }
            };
            if let Some(slot) = team_of.get_mut(p) {
                *slot = Some(t);
            }
            if let Some(c) = teams.crises.get_mut(t) {
                *c += f.crisis_events;
            }
            if let Some(pm) = teams.person_months.get_mut(t) {
                *pm += (days_between(f.start, f.end) + 1.0) / DAYS_PER_MONTH;
            }
        }
        if let Some(rule) = primary {
            let mut seen = vec![false; facts.len()];
            for pm in outcomes
                .people
                .iter()
                .filter(|pm| pm.measure == rule.name())
            {
                let (Some(rc), Some(Some(t))) = (pm.reliable_change, team_of.get(pm.person)) else {
                    continue;
                };
                match seen.get_mut(pm.person) {
                    Some(s) if !*s => *s = true,
                    _ => continue,
                }
                if let (Some(n), Some(x)) = (teams.paired.get_mut(*t), teams.improved.get_mut(*t)) {
                    *n += 1;
                    *x += u64::from(rc == ReliableChange::ReliableImprovement);
                }
            }
        }
        teams
    }

    pub fn add(&mut self, other: &TeamCounts) {
        for (t, name) in other.names.iter().enumerate() {
            let at = match self.names.iter().position(|n| n == name) {
                Some(at) => at,
                None => {
                    self.names.push(name.clone());
                    self.crises.push(0);
                    self.person_months.push(0.0);
                    self.paired.push(0);
                    self.improved.push(0);
                    self.names.len() - 1
                }
            };
            self.crises[at] += other.crises[t];
            self.person_months[at] += other.person_months[t];
            self.paired[at] += other.paired[t];
            self.improved[at] += other.improved[t];
        }
    }
}

/// The funnel plots, by team and by pathway: reliable improvement on the primary measure (when
/// there is one) and crisis events as observed / expected.
#[allow(clippy::too_many_arguments)]
pub(super) fn funnels(
    teams: &TeamCounts,
    tallies: &[Vec<MeasureTally>],
    group_names: &[String],
    n_pathways: usize,
    group_crises: &[u64],
    group_pm: &[f64],
    primary: Option<&MeasureRule>,
    overdispersion: OverdispersionAdjustment,
) -> Vec<FunnelData> {
    let service_crises: u64 = group_crises.iter().take(n_pathways).sum();
    let service_pm: f64 = group_pm.iter().take(n_pathways).sum();
    let overall_rate = (service_pm > 0.0).then(|| service_crises as f64 / service_pm);
    let pathway_names: Vec<String> = group_names.iter().take(n_pathways).cloned().collect();
    let pathway_paired: Vec<(u64, u64)> = tallies
        .iter()
        .take(n_pathways)
        .map(|t| t.first().map_or((0, 0), |m| (m.improved, m.paired)))
        .collect();

    let mut out = Vec::new();
    for (units, names, counts, crises, pms) in [
        (
            FunnelUnits::Team,
            &teams.names,
            teams
                .improved
                .iter()
                .copied()
                .zip(teams.paired.iter().copied())
                .collect::<Vec<_>>(),
            &teams.crises[..],
            &teams.person_months[..],
        ),
        (
            FunnelUnits::Pathway,
            &pathway_names,
            pathway_paired,
            group_crises.get(..n_pathways).unwrap_or(&[]),
            group_pm.get(..n_pathways).unwrap_or(&[]),
        ),
    ] {
        if let Some(rule) = primary {
            out.push(proportion_funnel(
                units,
                names,
                &counts,
                rule,
                overdispersion,
            ));
        }
        out.push(crisis_funnel(
            units,
            names,
            crises,
            pms,
            overall_rate,
            overdispersion,
        ));
    }
    out
}

/// Reliable improvement on the primary measure: improved / paired people per unit.
fn proportion_funnel(
    units: FunnelUnits,
    names: &[String],
    counts: &[(u64, u64)],
    rule: &MeasureRule,
    overdispersion: OverdispersionAdjustment,
) -> FunnelData {
    let kept: Vec<(String, FunnelUnit)> = names
        .iter()
        .zip(counts)
        .filter(|(_, (_, n))| *n > 0)
        .map(|(name, &(x, n))| {
            (
                name.clone(),
                FunnelUnit {
                    numerator: x,
                    denominator: n as f64,
                },
            )
        })
        .collect();
    let (unit_names, unit_values): (Vec<String>, Vec<FunnelUnit>) = kept.into_iter().unzip();
    let options = FunnelOptions {
        overdispersion,
        ..FunnelOptions::proportions()
    };
    let (funnel, note) = match funnel_plot(&unit_values, options) {
        Ok(f) => (Some(f), None),
        Err(err) => (None, Some(format!("No funnel plot: {err}."))),
    };
    FunnelData {
        units,
        indicator: format!("reliable improvement on {}", rule.name()),
        standardisation: format!(
            "crude proportion: people with a reliable improvement on {} / people with paired scores on it (no case-mix adjustment)",
            rule.name()
        ),
        unit_names,
        funnel,
        note,
    }
}

/// Crisis events as an indirectly standardised ratio: observed / (overall rate × person-months).
fn crisis_funnel(
    units: FunnelUnits,
    names: &[String],
    crises: &[u64],
    person_months: &[f64],
    overall_rate: Option<f64>,
    overdispersion: OverdispersionAdjustment,
) -> FunnelData {
    let standardisation = "indirectly standardised ratio: observed crisis events / expected, \
        expected = the whole service cohort's crisis rate per person-month x the unit's \
        person-months in service (standardised for time in service only, not case mix)"
        .to_string();
    let base = FunnelData {
        units,
        indicator: "crisis events in service, observed / expected".to_string(),
        standardisation,
        unit_names: Vec::new(),
        funnel: None,
        note: None,
    };
    let Some(rate) = overall_rate.filter(|r| *r > 0.0) else {
        return FunnelData {
            note: Some("No funnel plot: no crisis events in service.".to_string()),
            ..base
        };
    };
    let (unit_names, unit_values): (Vec<String>, Vec<FunnelUnit>) = names
        .iter()
        .zip(crises.iter().zip(person_months))
        .filter(|(_, (_, pm))| **pm > 0.0)
        .map(|(name, (&observed, &pm))| {
            (
                name.clone(),
                FunnelUnit {
                    numerator: observed,
                    denominator: rate * pm,
                },
            )
        })
        .unzip();
    let options = FunnelOptions {
        overdispersion,
        ..FunnelOptions::standardised_ratios()
    };
    let (funnel, note) = match funnel_plot(&unit_values, options) {
        Ok(f) => (Some(f), None),
        Err(err) => (None, Some(format!("No funnel plot: {err}."))),
    };
    FunnelData {
        unit_names,
        funnel,
        note,
        ..base
    }
}
