//! Groups and intervals: which pathway each person is in, the counts per group and measure,
//! and each group's proportions, differences from the reference pathway, mean change and
//! crisis rate.

use super::*;

/// Whether a group is one of the service's pathways or the comparison cohort.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    ServicePathway,
    ComparisonCohort,
}

/// One pathway (or the comparison cohort) and its results.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PathwayGroup {
    pub pathway: String,
    pub kind: GroupKind,
    pub is_reference: bool,
    /// People in the comparison (with time in service).
    pub people: u64,
    pub person_months: f64,
    pub severity: SeverityCounts,
    pub crisis: CrisisSummary,
    pub measures: Vec<GroupMeasure>,
}

/// Crisis events in service and their rate.
///
/// # Formula
/// rate = events / person-months × 100 with Garwood's exact Poisson interval
/// ([`poisson_rate_per_100_person_months`]); rate ratio = this group's rate / the reference
/// pathway's, with the exact interval conditional on the total number of events
/// ([`rate_ratio`] with [`RateRatioMethod::ExactConditional`]).
///
/// # Remarks
/// Both intervals assume Poisson variation. Crises cluster in some people, so the intervals
/// are too narrow when a few people account for many events. The ratio is `None` for the
/// reference pathway itself and when the reference pathway has no crisis events.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CrisisSummary {
    pub events: u64,
    pub person_months: f64,
    pub rate_per_100_person_months: Option<PoissonRate>,
    pub rate_ratio_vs_reference: Option<RateRatio>,
}

/// One group's results on one measure. Denominators: paired people (two or more scores),
/// except recovery, whose denominator is paired people at caseness at baseline.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GroupMeasure {
    pub measure: String,
    pub people_paired: u64,
    /// Reliable improvement, latest versus baseline, by the measure's threshold (Wilson).
    pub reliable_improvement: Option<ProportionInterval>,
    /// Reliable improvement minus the reference pathway's (Newcombe hybrid score).
    pub reliable_improvement_vs_reference: Option<ProportionDifference>,
    /// Paired people whose baseline score was on the clinical side of the cut-off.
    pub people_at_caseness: u64,
    /// Recovered (reliable improvement and moved from case to non-case) among
    /// `people_at_caseness` (Wilson); `None` when the measure has no cut-off.
    pub recovered: Option<ProportionInterval>,
    pub recovered_vs_reference: Option<ProportionDifference>,
    /// The last two or more scores each a reliable improvement on the baseline (Wilson).
    pub sustained_improvement: Option<ProportionInterval>,
    /// Mean of latest − baseline (paired t interval). For a lower-is-better measure a negative
    /// change is an improvement.
    pub mean_change: Option<PairedDifference>,
    /// (mean latest − mean baseline) / SD of the baseline scores: the pre-post effect size of
    /// NHS Talking Therapies benchmarking. The headline effect size.
    pub effect_size_baseline_sd: Option<EffectSize>,
    /// Mean change / SD of the changes (Cohen's d_z); larger than the baseline-SD effect size
    /// when baseline and latest scores are correlated. Not comparable with between-group d.
    pub effect_size_paired_dz: Option<EffectSize>,
    /// Reliable improvement directly standardised to the service cohort's severity mix.
    pub standardised_reliable_improvement: Option<StandardisedProportion>,
    /// Why the standardised proportion is missing, when it is.
    pub standardised_note: Option<String>,
}

/// Running counts for one group on one measure.
#[derive(Clone, Default)]
pub(super) struct MeasureTally {
    pub paired: u64,
    pub improved: u64,
    at_caseness: u64,
    recovered: u64,
    sustained: u64,
    baselines: Vec<f64>,
    latests: Vec<f64>,
    /// (paired people, reliable improvements) per severity band, low/moderate/high.
    strata: [(u64, u64); 3],
}

impl MeasureTally {
    /// Adds another partition's tally: counts add, scores are concatenated.
    pub(super) fn add(&mut self, other: &MeasureTally) {
        self.paired += other.paired;
        self.improved += other.improved;
        self.at_caseness += other.at_caseness;
        self.recovered += other.recovered;
        self.sustained += other.sustained;
        self.baselines.extend_from_slice(&other.baselines);
        self.latests.extend_from_slice(&other.latests);
        for (mine, theirs) in self.strata.iter_mut().zip(other.strata) {
            mine.0 += theirs.0;
            mine.1 += theirs.1;
        }
    }
}

/// The groups compared: the service cohort's pathways, then the comparison cohort when it has
/// anyone; and, once ordered for the report ([`Groups::ordered`]), the reference pathway.
pub(super) struct Groups {
    /// Each group's name, pathways first.
    pub names: Vec<String>,
    pub kinds: Vec<GroupKind>,
    /// How many of the groups are service pathways (they come first).
    pub pathways: usize,
    /// Each pathway's label, in group order.
    pathway_labels: Vec<Label>,
    /// The comparison cohort's group, when it has anyone.
    comparison: Option<usize>,
    pub reference: Option<usize>,
    pub reference_basis: String,
    /// People with no time in service by the reference date.
    pub people_excluded: u64,
}

/// Whether a person is in the comparison: their start date is on or before their last day in
/// service.
fn in_comparison(data: &Dataset, index: &PersonIndex, p: usize) -> bool {
    match (data.people.start_date.get(p), index.service_end.get(p)) {
        (Some(start), Some(end)) => start <= end,
        _ => false,
    }
}

impl Groups {
    /// The groups of `data`'s people in the comparison, pathways in the order first met, with
    /// no reference chosen yet: [`Groups::ordered`] is the one home of the reported order.
    pub fn form(data: &Dataset, index: &PersonIndex) -> Groups {
        let people = &data.people;
        let mut pathway_labels: Vec<Label> = Vec::new();
        let mut comparison_people = 0u64;
        let mut people_excluded = 0u64;
        for p in 0..index.len {
            if !in_comparison(data, index, p) {
                people_excluded += 1;
                continue;
            }
            match (people.cohort.get(p), people.pathway.get(p)) {
                (Some(Cohort::Service), Some(label)) => {
                    if !pathway_labels.contains(label) {
                        pathway_labels.push(*label);
                    }
                }
                (Some(Cohort::Comparison), _) => comparison_people += 1,
                _ => {}
            }
        }
        let pathways = pathway_labels.len();
        let mut names: Vec<String> = pathway_labels
            .iter()
            .map(|l| data.text.text(*l).to_string())
            .collect();
        let mut kinds = vec![GroupKind::ServicePathway; pathways];
        if comparison_people > 0 {
            names.push(COMPARISON_GROUP.to_string());
            kinds.push(GroupKind::ComparisonCohort);
        }
        Groups {
            names,
            kinds,
            pathways,
            pathway_labels,
            comparison: (comparison_people > 0).then_some(pathways),
            reference: None,
            reference_basis: String::new(),
            people_excluded,
        }
    }

    /// Groups by name, ordered as reported: pathways by people (most first) then name, then
    /// the comparison cohort; with the reference pathway chosen (and a warning when the
    /// configured one has nobody). `order` gives each reported group's position in the input.
    pub fn ordered(
        names: &[String],
        kinds: &[GroupKind],
        people: &[u64],
        people_excluded: u64,
        config: &PathwayConfig,
        warnings: &mut Vec<String>,
    ) -> (Groups, Vec<usize>) {
        let mut order: Vec<usize> = (0..names.len()).collect();
        order.sort_by(|&a, &b| {
            (kinds[a] == GroupKind::ComparisonCohort)
                .cmp(&(kinds[b] == GroupKind::ComparisonCohort))
                .then_with(|| people[b].cmp(&people[a]))
                .then_with(|| names[a].cmp(&names[b]))
        });
        let names: Vec<String> = order.iter().map(|&g| names[g].clone()).collect();
        let kinds: Vec<GroupKind> = order.iter().map(|&g| kinds[g]).collect();
        let pathways = kinds
            .iter()
            .filter(|k| **k == GroupKind::ServicePathway)
            .count();
        let (reference, reference_basis) = choose_reference(config, &names[..pathways]);
        if let (Some(wanted), "largest pathway (most people)") =
            (&config.reference_pathway, reference_basis.as_str())
        {
            warnings.push(format!(
                "The configured reference pathway \"{wanted}\" has nobody in the service cohort; the largest pathway is used instead."
            ));
        }
        let groups = Groups {
            comparison: kinds.iter().position(|k| *k == GroupKind::ComparisonCohort),
            names,
            kinds,
            pathways,
            pathway_labels: Vec::new(),
            reference,
            reference_basis,
            people_excluded,
        };
        (groups, order)
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// The group of a person in the comparison, if they belong to one.
    fn of(&self, data: &Dataset, p: usize) -> Option<usize> {
        match data.people.cohort.get(p) {
            Some(Cohort::Service) => data
                .people
                .pathway
                .get(p)
                .and_then(|label| self.pathway_labels.iter().position(|l| l == label)),
            Some(Cohort::Comparison) => self.comparison,
            None => None,
        }
    }
}

/// Per person, what the comparison needs, in one pass over people and their events; `None`
/// for people outside the comparison.
pub(super) fn person_facts(
    data: &Dataset,
    index: &PersonIndex,
    groups: &Groups,
) -> Vec<Option<PersonFacts>> {
    let mut facts: Vec<Option<PersonFacts>> = vec![None; index.len];
    let vocab = &index.vocab;
    let events = &data.events;
    for (p, slot) in facts.iter_mut().enumerate() {
        if !in_comparison(data, index, p) {
            continue;
        }
        let (Some(group), Some(&start), Some(&end)) = (
            groups.of(data, p),
            data.people.start_date.get(p),
            index.service_end.get(p),
        ) else {
            continue;
        };
        let mut crisis_events = 0u64;
        let mut first_crisis = None;
        for &row in index.events.of(p) {
            let row = row as usize;
            let (Some(&date), Some(&event_type)) =
                (events.date.get(row), events.event_type.get(row))
            else {
                continue;
            };
            if date < start || date > end || vocab.event_kind(event_type) != Some(EventKind::Crisis)
            {
                continue;
            }
            crisis_events += events.quantity.get(row).map_or(1, |q| whole_events(*q));
            first_crisis.get_or_insert(date);
        }
        *slot = Some(PersonFacts {
            group,
            start,
            end,
            crisis_events,
            first_crisis,
        });
    }
    facts
}

/// Each group's people, person-months, crisis events and baseline severities.
pub(super) struct GroupTotals {
    pub people: Vec<u64>,
    /// Days in service, summed (whole numbers, so sums are exact in any order).
    pub person_days: Vec<f64>,
    pub person_months: Vec<f64>,
    pub crises: Vec<u64>,
    pub severity: Vec<SeverityCounts>,
}

impl GroupTotals {
    pub fn sum(data: &Dataset, facts: &[Option<PersonFacts>], n_groups: usize) -> GroupTotals {
        let mut people = vec![0u64; n_groups];
        let mut days = vec![0.0f64; n_groups];
        let mut crises = vec![0u64; n_groups];
        let mut severity = vec![SeverityCounts::default(); n_groups];
        for (p, fact) in facts.iter().enumerate() {
            let Some(f) = fact else { continue };
            if let Some(n) = people.get_mut(f.group) {
                *n += 1;
            }
            if let Some(d) = days.get_mut(f.group) {
                *d += days_between(f.start, f.end) + 1.0;
            }
            if let Some(c) = crises.get_mut(f.group) {
                *c += f.crisis_events;
            }
            if let Some(s) = severity.get_mut(f.group) {
                s.add(data.people.baseline_severity.get(p).copied().flatten());
            }
        }
        GroupTotals {
            people,
            person_months: days.iter().map(|d| d / DAYS_PER_MONTH).collect(),
            person_days: days,
            crises,
            severity,
        }
    }

    /// The standard population: the whole service cohort in the comparison, by severity.
    pub fn service_severity(&self, pathways: usize) -> SeverityCounts {
        let mut service = SeverityCounts::default();
        for s in self.severity.iter().take(pathways) {
            service.low += s.low;
            service.moderate += s.moderate;
            service.high += s.high;
            service.unknown += s.unknown;
        }
        service
    }
}

/// The measures compared: those judged in the outcomes, in catalogue order.
pub(super) fn measures_compared<'r>(
    rules: &'r MeasureRules,
    catalogue: &MeasureCatalogue,
    outcomes: &OutcomesAnalysis,
) -> Vec<&'r MeasureRule> {
    let mut measure_rules: Vec<&MeasureRule> = Vec::new();
    for pm in &outcomes.people {
        if !measure_rules.iter().any(|r| r.name() == pm.measure) {
            if let Some(rule) = rules.lookup(&pm.measure) {
                measure_rules.push(rule);
            }
        }
    }
    let catalogue_position = |rule: &MeasureRule| {
        catalogue
            .measures()
            .iter()
            .position(|m| m.key == rule.definition.key)
            .unwrap_or(usize::MAX)
    };
    measure_rules.sort_by_key(|r| catalogue_position(r));
    measure_rules
}

/// Counts per group and measure, in one pass over the person-level outcomes
/// (`tallies[group][measure]`).
pub(super) fn tally_outcomes(
    data: &Dataset,
    index: &PersonIndex,
    outcomes: &OutcomesAnalysis,
    measure_rules: &[&MeasureRule],
    facts: &[Option<PersonFacts>],
    n_groups: usize,
) -> Vec<Vec<MeasureTally>> {
    let n_measures = measure_rules.len();
    let mut tallies = vec![vec![MeasureTally::default(); n_measures]; n_groups];
    let mut counted = vec![vec![false; index.len]; n_measures];
    for pm in &outcomes.people {
        let Some(m) = measure_rules.iter().position(|r| r.name() == pm.measure) else {
            continue;
        };
        let Some(Some(fact)) = facts.get(pm.person) else {
            continue;
        };
        let Some(rc) = pm.reliable_change else {
            continue;
        };
        // A measure recorded under two names gives two results: count the person once.
        match counted.get_mut(m).and_then(|c| c.get_mut(pm.person)) {
            Some(seen) if !*seen => *seen = true,
            _ => continue,
        }
        let Some(tally) = tallies.get_mut(fact.group).and_then(|t| t.get_mut(m)) else {
            continue;
        };
        let improved = rc == ReliableChange::ReliableImprovement;
        tally.paired += 1;
        tally.improved += u64::from(improved);
        tally.sustained += u64::from(pm.sustained_improvement);
        tally.baselines.push(pm.baseline);
        tally.latests.push(pm.latest);
        if measure_rules
            .get(m)
            .and_then(|r| r.definition.is_case(pm.baseline))
            == Some(true)
        {
            tally.at_caseness += 1;
            tally.recovered += u64::from(pm.clinical == Some(ClinicalOutcome::Recovered));
        }
        if let Some(severity) = data
            .people
            .baseline_severity
            .get(pm.person)
            .copied()
            .flatten()
        {
            if let Some(stratum) = tally.strata.get_mut(severity_slot(severity)) {
                stratum.0 += 1;
                stratum.1 += u64::from(improved);
            }
        }
    }
    tallies
}

/// Each group's figures: per measure, proportions with Wilson intervals and differences from
/// the reference pathway (Newcombe), mean change and effect sizes, the severity-standardised
/// proportion; and the crisis rate with its ratio to the reference pathway's.
pub(super) fn group_results(
    groups: &Groups,
    totals: &GroupTotals,
    tallies: &[Vec<MeasureTally>],
    measure_rules: &[&MeasureRule],
    service_severity: SeverityCounts,
    confidence: Confidence,
) -> Vec<PathwayGroup> {
    let reference = groups.reference;
    let standard_weights: Option<[f64; 3]> = (service_severity.known() > 0).then(|| {
        let total = service_severity.known() as f64;
        SEVERITIES.map(|s| service_severity.get(s) as f64 / total)
    });
    let reference_tally = |m: usize| reference.and_then(|r| tallies.get(r)?.get(m));
    let mut results = Vec::with_capacity(groups.len());
    for g in 0..groups.len() {
        let is_reference = reference == Some(g);
        let (Some(name), Some(&kind)) = (groups.names.get(g), groups.kinds.get(g)) else {
            continue;
        };
        let pm_g = totals.person_months.get(g).copied().unwrap_or(0.0);
        let crises = totals.crises.get(g).copied().unwrap_or(0);
        let rate_ratio_vs_reference = match reference {
            Some(r) if r != g => rate_ratio(
                crises,
                pm_g,
                totals.crises.get(r).copied().unwrap_or(0),
                totals.person_months.get(r).copied().unwrap_or(0.0),
                RateRatioMethod::ExactConditional,
                confidence,
            ),
            _ => None,
        };
        let mut measures = Vec::with_capacity(measure_rules.len());
        for (m, rule) in measure_rules.iter().enumerate() {
            let Some(tally) = tallies.get(g).and_then(|t| t.get(m)) else {
                continue;
            };
            let versus = |successes: fn(&MeasureTally) -> (u64, u64)| {
                let reference = reference_tally(m).filter(|_| !is_reference)?;
                let (x1, n1) = successes(tally);
                let (x2, n2) = successes(reference);
                newcombe_difference_interval(x1, n1, x2, n2, confidence)
            };
            let has_caseness = rule.definition.caseness.is_some();
            let (standardised, standardised_note) = match standard_weights {
                Some(weights) => standardise(&tally.strata, weights, confidence),
                None => (
                    None,
                    Some("No one in the service cohort has a recorded baseline severity.".into()),
                ),
            };
            measures.push(GroupMeasure {
                measure: rule.name().to_string(),
                people_paired: tally.paired,
                reliable_improvement: wilson_interval(tally.improved, tally.paired, confidence),
                reliable_improvement_vs_reference: versus(|t| (t.improved, t.paired)),
                people_at_caseness: tally.at_caseness,
                recovered: if has_caseness {
                    wilson_interval(tally.recovered, tally.at_caseness, confidence)
                } else {
                    None
                },
                recovered_vs_reference: if has_caseness {
                    versus(|t| (t.recovered, t.at_caseness))
                } else {
                    None
                },
                sustained_improvement: wilson_interval(tally.sustained, tally.paired, confidence),
                mean_change: paired_difference_interval(
                    &tally.baselines,
                    &tally.latests,
                    confidence,
                ),
                effect_size_baseline_sd: baseline_sd_effect_size(&tally.baselines, &tally.latests),
                effect_size_paired_dz: paired_d_z(&tally.baselines, &tally.latests),
                standardised_reliable_improvement: standardised,
                standardised_note,
            });
        }
        results.push(PathwayGroup {
            pathway: name.clone(),
            kind,
            is_reference,
            people: totals.people.get(g).copied().unwrap_or(0),
            person_months: pm_g,
            severity: totals.severity.get(g).copied().unwrap_or_default(),
            crisis: CrisisSummary {
                events: crises,
                person_months: pm_g,
                rate_per_100_person_months: poisson_rate_per_100_person_months(
                    crises, pm_g, confidence,
                ),
                rate_ratio_vs_reference,
            },
            measures,
        });
    }
    results
}

/// A warning for each pathway with fewer paired people on the primary measure than
/// `config.min_group_size`.
pub(super) fn small_number_warnings(
    groups: &[PathwayGroup],
    measure_rules: &[&MeasureRule],
    config: &PathwayConfig,
    warnings: &mut Vec<String>,
) {
    for g in groups
        .iter()
        .filter(|g| g.kind == GroupKind::ServicePathway)
    {
        let paired = g.measures.first().map_or(0, |m| m.people_paired);
        if paired < config.min_group_size {
            // No counts in the sentence: it is printed in the report too, where counts are
            // disclosure-controlled; the table beside it gives them.
            warnings.push(format!(
                "{}: fewer than {} people with paired scores on {}; its percentages are uncertain, read the intervals.",
                g.pathway,
                config.min_group_size,
                measure_rules.first().map_or("the primary measure", |r| r.name()),
            ));
        }
    }
}

/// The reference pathway's position among the (size-ordered) pathways, and why it was chosen.
pub(super) fn choose_reference(
    config: &PathwayConfig,
    pathways: &[String],
) -> (Option<usize>, String) {
    let configured = config.reference_pathway.as_ref().and_then(|wanted| {
        let wanted = normalise_name(wanted);
        pathways.iter().position(|p| normalise_name(p) == wanted)
    });
    match configured {
        Some(i) => (Some(i), "configured".to_string()),
        None if pathways.is_empty() => (None, "no service pathways".to_string()),
        None => (Some(0), "largest pathway (most people)".to_string()),
    }
}
