//! The effective catalogue: the defaults with the user's overrides and added measures applied
//! and validated, and lookup by name or alias.

use super::*;
use crate::stats::change::Direction;

/// Lower-case letters and digits only, so "PHQ-9", "phq 9" and "PHQ9" match.
pub fn normalise_name(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The set of measures an analysis knows about.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeasureCatalogue {
    measures: Vec<MeasureDefinition>,
}

/// A user's change to one measure, or a new measure (the configuration form).
///
/// `measure` names an existing measure by key or alias (case and punctuation ignored) to
/// override its fields; any other name adds a new measure, which then needs `min`, `max` and
/// `direction`. Values given here are recorded with `source` (default "user configuration").
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureOverride {
    pub measure: String,
    /// Where the user's values come from (e.g. "Trust psychology audit 2023").
    #[serde(default)]
    pub source: Option<String>,
    /// Marks every value given here as an estimate to confirm.
    #[serde(default)]
    pub estimate: Option<bool>,
    #[serde(default)]
    pub name: Option<String>,
    /// Extra aliases, added to the existing ones.
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    #[serde(default)]
    pub direction: Option<Direction>,
    #[serde(default)]
    pub sd: Option<f64>,
    #[serde(default)]
    pub sd_population: Option<String>,
    #[serde(default)]
    pub reliability: Option<f64>,
    #[serde(default)]
    pub reliability_kind: Option<ReliabilityKind>,
    #[serde(default)]
    pub caseness_cutoff: Option<f64>,
    #[serde(default)]
    pub caseness_rule: Option<CasenessRule>,
    #[serde(default)]
    pub caseness_meaning: Option<String>,
    #[serde(default)]
    pub clinical_mean: Option<f64>,
    #[serde(default)]
    pub clinical_sd: Option<f64>,
    #[serde(default)]
    pub normal_mean: Option<f64>,
    #[serde(default)]
    pub normal_sd: Option<f64>,
    #[serde(default)]
    pub reliable_change: Option<ThresholdRule>,
    #[serde(default)]
    pub conversion: Option<ScoreConversion>,
}

/// A problem with one field of one measure in the user's configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeasureConfigError {
    pub measure: String,
    pub field: String,
    pub problem: String,
}

impl std::fmt::Display for MeasureConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "measure `{}`, field `{}`: {}",
            self.measure, self.field, self.problem
        )
    }
}

impl std::error::Error for MeasureConfigError {}

impl MeasureCatalogue {
    /// The shipped defaults (see docs/methods.md ("Outcome measures") for every value and its source).
    pub fn defaults() -> Self {
        MeasureCatalogue {
            measures: super::defaults::default_measures(),
        }
    }

    pub fn measures(&self) -> &[MeasureDefinition] {
        &self.measures
    }

    /// Finds a measure by key, full name or alias, ignoring case, spaces and punctuation.
    pub fn lookup(&self, name: &str) -> Option<&MeasureDefinition> {
        let wanted = normalise_name(name);
        self.measures
            .iter()
            .find(|measure| measure.answers_to(&wanted))
    }

    /// Applies the user's overrides and additions in order and validates the result.
    ///
    /// Every problem is returned (not only the first), each naming the measure and field:
    /// min < max, 0 ≤ reliability < 1, SD > 0, cut-offs inside the range, thresholds > 0, the
    /// inputs a threshold rule needs, and names that would match two measures.
    pub fn with_overrides(
        self,
        user: Vec<MeasureOverride>,
    ) -> Result<Self, Vec<MeasureConfigError>> {
        let mut measures = self.measures;
        let mut errors = Vec::new();
        for change in user {
            let wanted = normalise_name(&change.measure);
            if wanted.is_empty() {
                errors.push(config_error(
                    &change.measure,
                    "measure",
                    "needs a name with at least one letter or digit".to_string(),
                ));
                continue;
            }
            match measures.iter_mut().find(|m| m.answers_to(&wanted)) {
                Some(existing) => apply_override(existing, change, &mut errors),
                None => {
                    if let Some(added) = new_measure(change, &mut errors) {
                        measures.push(added);
                    }
                }
            }
        }
        for measure in &measures {
            errors.extend(validate(measure));
        }
        errors.extend(name_clashes(&measures));
        if errors.is_empty() {
            Ok(MeasureCatalogue { measures })
        } else {
            Err(errors)
        }
    }
}

fn config_error(measure: &str, field: &str, problem: String) -> MeasureConfigError {
    MeasureConfigError {
        measure: measure.to_string(),
        field: field.to_string(),
        problem,
    }
}

fn user_source(change: &MeasureOverride) -> String {
    match &change.source {
        Some(source) if !source.trim().is_empty() => format!("user configuration: {source}"),
        _ => "user configuration".to_string(),
    }
}

fn default_caseness_rule(direction: Direction) -> CasenessRule {
    match direction {
        Direction::LowerIsBetter => CasenessRule::AtOrAbove,
        Direction::HigherIsBetter => CasenessRule::Below,
    }
}

fn apply_override(
    measure: &mut MeasureDefinition,
    change: MeasureOverride,
    errors: &mut Vec<MeasureConfigError>,
) {
    let source = user_source(&change);
    let estimate = change.estimate.unwrap_or(false);
    let mut fields: Vec<String> = Vec::new();
    let key = measure.key.clone();

    if let Some(name) = change.name.clone() {
        measure.name = name;
        fields.push("name".into());
    }
    if !change.aliases.is_empty() {
        measure.aliases.extend(change.aliases.iter().cloned());
        fields.push("aliases".into());
    }
    let mut scale_changed = false;
    if let Some(min) = change.min {
        measure.min = min;
        fields.push("min".into());
        scale_changed = true;
    }
    if let Some(max) = change.max {
        measure.max = max;
        fields.push("max".into());
        scale_changed = true;
    }
    if let Some(direction) = change.direction {
        measure.direction = direction;
        fields.push("direction".into());
        scale_changed = true;
    }
    if scale_changed {
        measure.scale_source = source.clone();
    }

    match (change.sd, change.sd_population.clone()) {
        (Some(value), population) => {
            let population = population
                .or_else(|| measure.sd.as_ref().map(|sd| sd.population.clone()))
                .unwrap_or_else(|| "user-supplied".to_string());
            measure.sd = Some(StandardDeviation {
                value,
                population,
                source: source.clone(),
                estimate,
                note: None,
            });
            fields.push("sd".into());
        }
        (None, Some(_)) => errors.push(config_error(
            &key,
            "sd_population",
            "give `sd` as well: a population describes a new SD value".to_string(),
        )),
        (None, None) => {}
    }

    match (change.reliability, change.reliability_kind) {
        (Some(value), kind) => {
            let kind = kind
                .or_else(|| measure.reliability.as_ref().map(|r| r.kind))
                .unwrap_or(ReliabilityKind::TestRetest);
            measure.reliability = Some(Reliability {
                value,
                kind,
                source: source.clone(),
                estimate,
                note: None,
            });
            fields.push("reliability".into());
        }
        (None, Some(_)) => errors.push(config_error(
            &key,
            "reliability_kind",
            "give `reliability` as well: a kind describes a new reliability value".to_string(),
        )),
        (None, None) => {}
    }

    if change.caseness_cutoff.is_some()
        || change.caseness_rule.is_some()
        || change.caseness_meaning.is_some()
    {
        let existing = measure.caseness.take();
        match change
            .caseness_cutoff
            .or(existing.as_ref().map(|c| c.cutoff))
        {
            Some(cutoff) => {
                measure.caseness = Some(Caseness {
                    cutoff,
                    rule: change
                        .caseness_rule
                        .or(existing.as_ref().map(|c| c.rule))
                        .unwrap_or_else(|| default_caseness_rule(measure.direction)),
                    meaning: change
                        .caseness_meaning
                        .clone()
                        .or(existing.as_ref().map(|c| c.meaning.clone()))
                        .unwrap_or_else(|| "user-defined clinical cut-off".to_string()),
                    source: source.clone(),
                    estimate,
                    note: None,
                });
                fields.push("caseness".into());
            }
            None => {
                measure.caseness = existing;
                errors.push(config_error(
                    &key,
                    "caseness_cutoff",
                    "this measure has no cut-off yet: give `caseness_cutoff`".to_string(),
                ));
            }
        }
    }

    apply_norms(measure, &change, &source, estimate, &mut fields, errors);

    if let Some(rule) = change.reliable_change.clone() {
        measure.reliable_change = Some(ReliableChangeSpec {
            rule,
            source: source.clone(),
            estimate,
            note: None,
        });
        fields.push("reliable_change".into());
    }
    if let Some(conversion) = change.conversion.clone() {
        measure.conversion = conversion;
        fields.push("conversion".into());
    }

    if !fields.is_empty() {
        // A second override of the same measure keeps the fields the first one changed.
        if let MeasureOrigin::Overridden { fields: earlier } = &measure.origin {
            let mut merged = earlier.clone();
            merged.extend(fields.into_iter().filter(|f| !earlier.contains(f)));
            fields = merged;
        }
        if measure.origin != MeasureOrigin::UserAdded {
            measure.origin = MeasureOrigin::Overridden { fields };
        }
    }
}

fn apply_norms(
    measure: &mut MeasureDefinition,
    change: &MeasureOverride,
    source: &str,
    estimate: bool,
    fields: &mut Vec<String>,
    errors: &mut Vec<MeasureConfigError>,
) {
    let given = [
        change.clinical_mean,
        change.clinical_sd,
        change.normal_mean,
        change.normal_sd,
    ];
    if given.iter().all(Option::is_none) {
        return;
    }
    let existing = measure.norms.as_ref();
    let pick = |value: Option<f64>, current: Option<f64>, field: &str| {
        value.or(current).ok_or_else(|| {
            config_error(
                &measure.key,
                field,
                "criterion-c norms need all four of clinical_mean, clinical_sd, normal_mean and normal_sd".to_string(),
            )
        })
    };
    let picked = (
        pick(
            change.clinical_mean,
            existing.map(|n| n.clinical_mean),
            "clinical_mean",
        ),
        pick(
            change.clinical_sd,
            existing.map(|n| n.clinical_sd),
            "clinical_sd",
        ),
        pick(
            change.normal_mean,
            existing.map(|n| n.normal_mean),
            "normal_mean",
        ),
        pick(change.normal_sd, existing.map(|n| n.normal_sd), "normal_sd"),
    );
    match picked {
        (Ok(clinical_mean), Ok(clinical_sd), Ok(normal_mean), Ok(normal_sd)) => {
            measure.norms = Some(CriterionNorms {
                clinical_mean,
                clinical_sd,
                normal_mean,
                normal_sd,
                source: source.to_string(),
                estimate,
                note: None,
            });
            fields.push("norms".into());
        }
        (a, b, c, d) => {
            errors.extend([a.err(), b.err(), c.err(), d.err()].into_iter().flatten());
        }
    }
}

fn new_measure(
    change: MeasureOverride,
    errors: &mut Vec<MeasureConfigError>,
) -> Option<MeasureDefinition> {
    let key = change.measure.trim().to_string();
    let mut missing = Vec::new();
    if change.min.is_none() {
        missing.push("min");
    }
    if change.max.is_none() {
        missing.push("max");
    }
    if change.direction.is_none() {
        missing.push("direction");
    }
    for field in &missing {
        errors.push(config_error(
            &key,
            field,
            "a new measure (no default matches this name) needs min, max and direction".to_string(),
        ));
    }
    let (Some(min), Some(max), Some(direction)) = (change.min, change.max, change.direction) else {
        return None;
    };
    let mut measure = MeasureDefinition {
        key: key.clone(),
        name: change.name.clone().unwrap_or_else(|| key.clone()),
        aliases: Vec::new(),
        min,
        max,
        direction,
        scale_source: user_source(&change),
        sd: None,
        reliability: None,
        caseness: None,
        norms: None,
        reliable_change: None,
        conversion: ScoreConversion::Identity,
        notes: None,
        origin: MeasureOrigin::UserAdded,
    };
    let rest = MeasureOverride {
        name: None,
        min: None,
        max: None,
        direction: None,
        ..change
    };
    apply_override(&mut measure, rest, errors);
    Some(measure)
}

/// Checks one definition; every problem names the measure and field.
pub(super) fn validate(measure: &MeasureDefinition) -> Vec<MeasureConfigError> {
    let key = measure.key.as_str();
    let mut errors = Vec::new();
    let mut fail = |field: &str, problem: String| errors.push(config_error(key, field, problem));

    if normalise_name(key).is_empty() {
        fail("key", "needs at least one letter or digit".to_string());
    }
    if !measure.min.is_finite() {
        fail("min", format!("must be a number, found {}", measure.min));
    }
    if !measure.max.is_finite() {
        fail("max", format!("must be a number, found {}", measure.max));
    }
    if measure.min.is_finite() && measure.max.is_finite() && measure.min >= measure.max {
        fail(
            "min",
            format!(
                "must be below max, found min {} and max {}",
                measure.min, measure.max
            ),
        );
    }
    if let Some(sd) = &measure.sd {
        if !(sd.value.is_finite() && sd.value > 0.0) {
            fail("sd", format!("must be greater than 0, found {}", sd.value));
        }
    }
    if let Some(reliability) = &measure.reliability {
        if !(0.0..1.0).contains(&reliability.value) {
            fail(
                "reliability",
                format!(
                    "must be at least 0 and below 1, found {}",
                    reliability.value
                ),
            );
        }
    }
    if let Some(caseness) = &measure.caseness {
        if !(measure.min..=measure.max).contains(&caseness.cutoff) {
            fail(
                "caseness_cutoff",
                format!(
                    "must lie within the score range {} to {}, found {}",
                    measure.min, measure.max, caseness.cutoff
                ),
            );
        }
    }
    if let Some(norms) = &measure.norms {
        for (field, value) in [
            ("clinical_sd", norms.clinical_sd),
            ("normal_sd", norms.normal_sd),
        ] {
            if !(value.is_finite() && value > 0.0) {
                fail(field, format!("must be greater than 0, found {value}"));
            }
        }
        for (field, value) in [
            ("clinical_mean", norms.clinical_mean),
            ("normal_mean", norms.normal_mean),
        ] {
            if !value.is_finite() {
                fail(field, format!("must be a number, found {value}"));
            }
        }
    }
    if let Some(spec) = &measure.reliable_change {
        match spec.rule {
            ThresholdRule::Published { value } => {
                if !(value.is_finite() && value > 0.0) {
                    fail(
                        "reliable_change",
                        format!("a published threshold must be greater than 0, found {value}"),
                    );
                }
            }
            ThresholdRule::JacobsonTruax => {
                if measure.sd.is_none() || measure.reliability.is_none() {
                    fail(
                        "reliable_change",
                        "jacobson_truax needs both `sd` and `reliability` for this measure"
                            .to_string(),
                    );
                }
            }
            ThresholdRule::HalfSd => {
                if measure.sd.is_none() {
                    fail(
                        "reliable_change",
                        "half_sd needs `sd` for this measure".to_string(),
                    );
                }
            }
        }
    }
    if let ScoreConversion::Table { points, .. } = &measure.conversion {
        if points.is_empty() {
            fail("conversion", "a conversion table needs rows".to_string());
        }
        if points
            .iter()
            .any(|p| !p.raw.is_finite() || !p.converted.is_finite())
        {
            fail(
                "conversion",
                "every raw and converted value must be a number".to_string(),
            );
        }
        if points.windows(2).any(|pair| match pair {
            [a, b] => a.raw >= b.raw || a.converted > b.converted,
            _ => false,
        }) {
            fail(
                "conversion",
                "raw totals must increase and converted scores must not decrease".to_string(),
            );
        }
        if let Some(outside) = points
            .iter()
            .find(|p| !(measure.min..=measure.max).contains(&p.converted))
        {
            fail(
                "conversion",
                format!(
                    "converted score {} lies outside the range {} to {}",
                    outside.converted, measure.min, measure.max
                ),
            );
        }
    }
    errors
}

/// Names (key, full name or alias) that would match more than one measure.
pub(super) fn name_clashes(measures: &[MeasureDefinition]) -> Vec<MeasureConfigError> {
    let mut errors = Vec::new();
    for (idx, measure) in measures.iter().enumerate() {
        for name in measure.names() {
            let normalised = normalise_name(name);
            if let Some(other) = measures
                .iter()
                .skip(idx + 1)
                .find(|other| other.answers_to(&normalised))
            {
                errors.push(config_error(
                    &other.key,
                    "aliases",
                    format!(
                        "the name `{name}` also matches measure `{}`; each name must match one measure",
                        measure.key
                    ),
                ));
            }
        }
    }
    errors
}
