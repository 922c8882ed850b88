//! The comparison in two phases: counts per partition of the people, added, then every
//! interval, test and ordering once (ARCHITECTURE.md, "Partitions of people").

use super::funnels::TeamCounts;
use super::*;

/// Everything the comparison is built from before any interval, test or ordering. Additive
/// across partitions of the people ([`PathwayCounts::add`]): counts and sums add, per-person
/// values (the scores behind the mean change, the survival observations) are concatenated;
/// groups, teams and measures are matched by name. The primary measure (the first in the
/// catalogue with judged scores anywhere) and the measures' thresholds are the first pass's
/// constants: every partition must count with the same ones.
#[derive(Clone)]
pub struct PathwayCounts {
    names: Vec<String>,
    kinds: Vec<GroupKind>,
    people: Vec<u64>,
    person_days: Vec<f64>,
    crises: Vec<u64>,
    severity: Vec<SeverityCounts>,
    /// The measures judged, by name.
    measures: Vec<String>,
    /// `tallies[group][measure]`.
    tallies: Vec<Vec<MeasureTally>>,
    crisis_observations: Vec<Vec<Observation>>,
    /// On the primary measure.
    relapse_observations: Vec<Vec<Observation>>,
    primary: Option<String>,
    teams: TeamCounts,
    people_excluded: u64,
}

impl PathwayCounts {
    /// Counts `data`'s people. `outcomes` must come from the same `data` and `index`;
    /// `primary` names the primary measure (see [`compare_pathways`] for how it is chosen).
    pub fn count(
        data: &Dataset,
        index: &PersonIndex,
        outcomes: &OutcomesAnalysis,
        rules: &MeasureRules,
        catalogue: &MeasureCatalogue,
        primary: Option<&str>,
    ) -> PathwayCounts {
        let groups = Groups::form(data, index);
        let facts = person_facts(data, index, &groups);
        let totals = GroupTotals::sum(data, &facts, groups.len());
        let measure_rules = measures_compared(rules, catalogue, outcomes);
        let tallies = tally_outcomes(data, index, outcomes, &measure_rules, &facts, groups.len());
        let primary_rule = primary.and_then(|name| rules.lookup(name));
        let relapse_observations = match primary_rule {
            Some(rule) => {
                time_to_event::relapse_observations(data, index, rules, rule, &facts, groups.len())
            }
            None => vec![Vec::new(); groups.len()],
        };
        PathwayCounts {
            crisis_observations: time_to_event::crisis_observations(&facts, groups.len()),
            relapse_observations,
            teams: TeamCounts::count(data, &facts, groups.pathways, primary_rule, outcomes),
            people_excluded: groups.people_excluded,
            names: groups.names,
            kinds: groups.kinds,
            people: totals.people,
            person_days: totals.person_days,
            crises: totals.crises,
            severity: totals.severity,
            measures: measure_rules.iter().map(|r| r.name().to_string()).collect(),
            tallies,
            primary: primary.map(str::to_string),
        }
    }

    /// Adds another partition's counts, counted with the same first-pass constants.
    pub fn add(&mut self, other: &PathwayCounts) {
        for measure in &other.measures {
            if !self.measures.contains(measure) {
                self.measures.push(measure.clone());
                for group in &mut self.tallies {
                    group.push(MeasureTally::default());
                }
            }
        }
        for (g, name) in other.names.iter().enumerate() {
            let kind = other.kinds[g];
            let at = match (0..self.names.len())
                .find(|&at| self.names[at] == *name && self.kinds[at] == kind)
            {
                Some(at) => at,
                None => {
                    self.names.push(name.clone());
                    self.kinds.push(kind);
                    self.people.push(0);
                    self.person_days.push(0.0);
                    self.crises.push(0);
                    self.severity.push(SeverityCounts::default());
                    self.tallies
                        .push(vec![MeasureTally::default(); self.measures.len()]);
                    self.crisis_observations.push(Vec::new());
                    self.relapse_observations.push(Vec::new());
                    self.names.len() - 1
                }
            };
            self.people[at] += other.people[g];
            self.person_days[at] += other.person_days[g];
            self.crises[at] += other.crises[g];
            self.severity[at].add_counts(&other.severity[g]);
            for (m, measure) in other.measures.iter().enumerate() {
                if let (Some(mine), Some(theirs)) = (
                    self.measures.iter().position(|n| n == measure),
                    other.tallies[g].get(m),
                ) {
                    self.tallies[at][mine].add(theirs);
                }
            }
            self.crisis_observations[at].extend_from_slice(&other.crisis_observations[g]);
            self.relapse_observations[at].extend_from_slice(&other.relapse_observations[g]);
        }
        self.teams.add(&other.teams);
        self.people_excluded += other.people_excluded;
    }

    /// The comparison: groups ordered and the reference chosen, then every interval, test,
    /// warning, survival curve and funnel, on the counts.
    pub fn compare(
        &self,
        rules: &MeasureRules,
        catalogue: &MeasureCatalogue,
        config: &PathwayConfig,
        reference_date: NaiveDate,
    ) -> PathwayComparison {
        let confidence = Confidence::new(config.confidence_level).unwrap_or_default();
        let mut warnings = Vec::new();
        let (groups, order) = Groups::ordered(
            &self.names,
            &self.kinds,
            &self.people,
            self.people_excluded,
            config,
            &mut warnings,
        );
        let person_days: Vec<f64> = order.iter().map(|&g| self.person_days[g]).collect();
        let totals = GroupTotals {
            people: order.iter().map(|&g| self.people[g]).collect(),
            person_months: person_days.iter().map(|d| d / DAYS_PER_MONTH).collect(),
            person_days,
            crises: order.iter().map(|&g| self.crises[g]).collect(),
            severity: order.iter().map(|&g| self.severity[g]).collect(),
        };
        // Measures in catalogue order, whatever order the partitions met them in.
        let catalogue_position = |name: &str| {
            let key = rules.lookup(name).map(|r| &r.definition.key);
            catalogue
                .measures()
                .iter()
                .position(|m| Some(&m.key) == key)
                .unwrap_or(usize::MAX)
        };
        let mut measure_order: Vec<usize> = (0..self.measures.len())
            .filter(|&m| rules.lookup(&self.measures[m]).is_some())
            .collect();
        measure_order.sort_by_key(|&m| catalogue_position(&self.measures[m]));
        let measure_rules: Vec<&MeasureRule> = measure_order
            .iter()
            .filter_map(|&m| rules.lookup(&self.measures[m]))
            .collect();
        let tallies: Vec<Vec<MeasureTally>> = order
            .iter()
            .map(|&g| {
                measure_order
                    .iter()
                    .map(|&m| self.tallies[g][m].clone())
                    .collect()
            })
            .collect();

        let service_severity = totals.service_severity(groups.pathways);
        let group_results = group_results(
            &groups,
            &totals,
            &tallies,
            &measure_rules,
            service_severity,
            confidence,
        );
        let case_mix = case_mix::assess(
            &groups,
            &totals.severity,
            service_severity,
            config,
            &mut warnings,
        );
        small_number_warnings(&group_results, &measure_rules, config, &mut warnings);

        let tau = config.restricted_mean_tau_days;
        let reordered = |lists: &[Vec<Observation>]| -> Vec<Vec<Observation>> {
            order.iter().map(|&g| lists[g].clone()).collect()
        };
        let time_to_first_crisis = time_to_event::first_crisis(
            reordered(&self.crisis_observations),
            &groups,
            tau,
            confidence,
        );
        let primary = self.primary.as_deref().and_then(|name| rules.lookup(name));
        let time_to_relapse = primary.map(|rule| {
            time_to_event::relapse(
                rule,
                reordered(&self.relapse_observations),
                &groups,
                tau,
                confidence,
            )
        });
        let funnels = funnels::funnels(
            &self.teams,
            &tallies,
            &groups.names,
            groups.pathways,
            &totals.crises,
            &totals.person_months,
            primary,
            config.funnel_overdispersion,
        );

        PathwayComparison {
            reference_date,
            confidence_level: confidence.level(),
            reference_pathway: groups.reference.and_then(|r| groups.names.get(r).cloned()),
            reference_basis: groups.reference_basis,
            primary_measure: measure_rules.first().map(|r| r.name().to_string()),
            measures: measure_rules
                .iter()
                .enumerate()
                .map(|(i, r)| MeasureInfo {
                    measure: r.name().to_string(),
                    primary: i == 0,
                    direction: r.direction(),
                    reliable_change_threshold: r.reliable_change,
                    threshold_basis: r.threshold_basis.clone(),
                    has_caseness: r.definition.caseness.is_some(),
                })
                .collect(),
            groups: group_results,
            case_mix,
            time_to_first_crisis,
            time_to_relapse,
            funnels,
            people_excluded: groups.people_excluded,
            warnings,
        }
    }
}
