//! The outcome-measure catalogue: what each measure's scores mean and which published values
//! (range, direction, spread, reliability, caseness, reliable change) the analysis uses.
//!
//! Every value carries its source and an `estimate` flag for values that were not confirmed
//! against a primary or authoritative secondary source (the "check" items of the methods
//! reference). Users can override any value or add their own measures; the effective catalogue
//! is serialised into the report so every threshold can be traced. docs/methods.md ("Outcome measures")
//! tabulates the defaults.

use serde::{Deserialize, Serialize};

use crate::stats::change::{self, Direction};

/// Fewest baseline scores for which the local baseline SD may replace the catalogue SD
/// (the local pre-treatment SD is preferred when about 30 people or more have one:
/// docs/methods.md, "Reliable change: how the threshold is obtained").
pub const MIN_LOCAL_BASELINE: usize = 30;

/// The z value of a two-sided 95% interval used by Jacobson & Truax.
const JACOBSON_TRUAX_Z: f64 = 1.96;

/// One outcome measure as the analysis understands it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureDefinition {
    /// Short canonical name shown in reports, e.g. `PHQ-9`.
    pub key: String,
    /// Full name.
    pub name: String,
    /// Other spellings found in export headers or measure columns ("PHQ9", "Patient Health
    /// Questionnaire"). Matching ignores case, spaces and punctuation.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Lowest possible score after conversion.
    pub min: f64,
    /// Highest possible score after conversion.
    pub max: f64,
    pub direction: Direction,
    /// Where the range and direction come from.
    pub scale_source: String,
    /// Standard deviation used for Jacobson–Truax or half-SD thresholds.
    #[serde(default)]
    pub sd: Option<StandardDeviation>,
    #[serde(default)]
    pub reliability: Option<Reliability>,
    /// Clinical cut-off (caseness).
    #[serde(default)]
    pub caseness: Option<Caseness>,
    /// Clinical and normal population norms for Jacobson–Truax criterion c.
    #[serde(default)]
    pub norms: Option<CriterionNorms>,
    /// How the smallest reliable change is obtained; `None` when nothing is published and no
    /// SD is known (use [`MeasureDefinition::local_sd_threshold`]).
    #[serde(default)]
    pub reliable_change: Option<ReliableChangeSpec>,
    /// Conversion from the raw total found in exports to the score the values above refer to.
    #[serde(default)]
    pub conversion: ScoreConversion,
    /// Caveats an analyst should read before relying on this measure.
    #[serde(default)]
    pub notes: Option<String>,
    /// Whether this entry is a shipped default, a default changed by the user, or user-added.
    #[serde(default)]
    pub origin: MeasureOrigin,
}

/// A standard deviation and the population it describes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StandardDeviation {
    pub value: f64,
    /// e.g. "clinical: primary care counselling (n = 1835)".
    pub population: String,
    pub source: String,
    /// `true` when the value was not confirmed against its source.
    #[serde(default)]
    pub estimate: bool,
    #[serde(default)]
    pub note: Option<String>,
}

/// Which kind of reliability coefficient a value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReliabilityKind {
    /// Test–retest correlation or ICC (preferred by Jacobson & Truax).
    TestRetest,
    /// Internal consistency (Cronbach's alpha); tends to give a smaller threshold.
    Alpha,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reliability {
    pub value: f64,
    pub kind: ReliabilityKind,
    pub source: String,
    #[serde(default)]
    pub estimate: bool,
    #[serde(default)]
    pub note: Option<String>,
}

/// How a score is compared with the caseness cut-off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CasenessRule {
    /// A case when score >= cutoff (PHQ-9 >= 10).
    AtOrAbove,
    /// A case when score <= cutoff (WEMWBS <= 40).
    AtOrBelow,
    /// A case when score < cutoff (ReQoL-10 below 24).
    Below,
}

/// A clinical cut-off and what being on the clinical side of it means.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Caseness {
    pub cutoff: f64,
    pub rule: CasenessRule,
    /// Plain-English meaning, e.g. "clinical range for depression (NHS Talking Therapies)".
    pub meaning: String,
    pub source: String,
    #[serde(default)]
    pub estimate: bool,
    #[serde(default)]
    pub note: Option<String>,
}

impl Caseness {
    /// Whether a score is on the clinical side of the cut-off.
    pub fn is_case(&self, score: f64) -> bool {
        match self.rule {
            CasenessRule::AtOrAbove => score >= self.cutoff,
            CasenessRule::AtOrBelow => score <= self.cutoff,
            CasenessRule::Below => score < self.cutoff,
        }
    }
}

/// Clinical and normal population means and SDs for Jacobson–Truax criterion c.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriterionNorms {
    pub clinical_mean: f64,
    pub clinical_sd: f64,
    pub normal_mean: f64,
    pub normal_sd: f64,
    pub source: String,
    #[serde(default)]
    pub estimate: bool,
    #[serde(default)]
    pub note: Option<String>,
}

impl CriterionNorms {
    /// Criterion c = (SD_clin·M_norm + SD_norm·M_clin)/(SD_clin + SD_norm)
    /// (Jacobson & Truax 1991, equation 3); `None` for non-positive SDs.
    pub fn criterion_c(&self) -> Option<f64> {
        change::criterion_c(
            self.clinical_mean,
            self.clinical_sd,
            self.normal_mean,
            self.normal_sd,
        )
    }
}

/// How a measure's reliable-change threshold is set (the stored, configurable form).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum ThresholdRule {
    /// A published raw-score threshold (NHS Talking Therapies: 6 points on PHQ-9).
    Published { value: f64 },
    /// 1.96·SD·√(2(1 − r)) from the measure's `sd` and `reliability`.
    JacobsonTruax,
    /// 0.5·SD from the measure's `sd`, used where nothing is published.
    HalfSd,
}

/// The reliable-change rule of a measure, with its provenance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReliableChangeSpec {
    pub rule: ThresholdRule,
    pub source: String,
    /// `true` when the threshold (or an input to it) is a "check" value to confirm.
    #[serde(default)]
    pub estimate: bool,
    #[serde(default)]
    pub note: Option<String>,
}

/// Where the SD behind a computed threshold came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum SdOrigin {
    Catalogue,
    LocalBaseline { n_baseline: usize },
}

/// How an effective threshold was obtained, reported next to the number.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum ThresholdBasis {
    Published {
        value: f64,
        source: String,
    },
    /// Jacobson & Truax (1991): 1.96·SD·√(2(1 − r)).
    JacobsonTruax {
        sd: f64,
        reliability: f64,
        sd_origin: SdOrigin,
    },
    /// Norman, Sloan & Wyrwich (2003): half a standard deviation.
    HalfSd {
        sd: f64,
        sd_origin: SdOrigin,
    },
}

/// Conversion from a raw total to the reported score.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ScoreConversion {
    /// The raw total is the score.
    #[default]
    Identity,
    /// A published look-up table (SWEMWBS raw 7–35 to metric score).
    Table {
        name: String,
        points: Vec<ConversionPoint>,
        source: String,
        #[serde(default)]
        estimate: bool,
        #[serde(default)]
        note: Option<String>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConversionPoint {
    pub raw: f64,
    pub converted: f64,
}

impl ScoreConversion {
    /// The converted score; `None` for a non-finite value or a raw total not in the table
    /// (tables are defined only at whole raw totals).
    pub fn convert(&self, raw: f64) -> Option<f64> {
        if !raw.is_finite() {
            return None;
        }
        match self {
            ScoreConversion::Identity => Some(raw),
            ScoreConversion::Table { points, .. } => points
                .iter()
                .find(|point| (point.raw - raw).abs() < 1e-9)
                .map(|point| point.converted),
        }
    }
}

/// Whether a catalogue entry is shipped, changed by the user, or added by the user.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum MeasureOrigin {
    #[default]
    Default,
    Overridden {
        fields: Vec<String>,
    },
    UserAdded,
}

impl MeasureDefinition {
    /// The threshold the analysis uses for reliable change, and how it was obtained.
    ///
    /// # Formula
    /// Published: the value as published. Jacobson–Truax: 1.96·SD·√(2(1 − r)) with the
    /// catalogue SD and reliability. Half SD: 0.5·SD.
    ///
    /// # Remarks
    /// `None` when the measure has no reliable-change rule (ReQoL-10, Recovery Star by
    /// default) or the rule's inputs are missing or impossible; catalogues built through
    /// [`MeasureCatalogue::with_overrides`] are validated so the latter cannot happen.
    /// A change must reach the threshold (≥), as in `stats::change::classify_change`.
    ///
    /// # References
    /// Jacobson & Truax (1991), J Consult Clin Psychol 59:12–19; Norman, Sloan & Wyrwich
    /// (2003), Med Care 41:582–592.
    pub fn effective_threshold(&self) -> Option<(f64, ThresholdBasis)> {
        let spec = self.reliable_change.as_ref()?;
        match spec.rule {
            ThresholdRule::Published { value } => (value.is_finite() && value > 0.0).then(|| {
                (
                    value,
                    ThresholdBasis::Published {
                        value,
                        source: spec.source.clone(),
                    },
                )
            }),
            ThresholdRule::JacobsonTruax => {
                let sd = self.sd.as_ref()?.value;
                let reliability = self.reliability.as_ref()?.value;
                jacobson_truax(sd, reliability, SdOrigin::Catalogue)
            }
            ThresholdRule::HalfSd => half_sd(self.sd.as_ref()?.value, SdOrigin::Catalogue),
        }
    }

    /// The reliable-change threshold recomputed with the SD of this dataset's baseline scores.
    ///
    /// # What it answers
    /// With enough people, the local pre-treatment SD is preferred to a published one
    /// (docs/methods.md, "Reliable change: how the threshold is obtained"): how large must a
    /// change be, given how spread out *these* people's baseline scores are?
    ///
    /// # Formula
    /// SD = sample standard deviation (n − 1) of the finite baseline scores. With a
    /// reliability coefficient and a rule other than half-SD: 1.96·SD·√(2(1 − r))
    /// (Jacobson & Truax 1991); otherwise 0.5·SD (Norman, Sloan & Wyrwich 2003).
    ///
    /// # Remarks
    /// `None` with fewer than [`MIN_LOCAL_BASELINE`] finite scores or a zero SD. Pass one
    /// baseline score per person. This is an option: for PHQ-9 and GAD-7 the published NHS
    /// Talking Therapies thresholds are the standard and should normally be kept.
    pub fn local_sd_threshold(&self, baseline_scores: &[f64]) -> Option<(f64, ThresholdBasis)> {
        let finite: Vec<f64> = baseline_scores
            .iter()
            .copied()
            .filter(|x| x.is_finite())
            .collect();
        let n_baseline = finite.len();
        if n_baseline < MIN_LOCAL_BASELINE {
            return None;
        }
        let sd = sample_sd(&finite)?;
        let origin = SdOrigin::LocalBaseline { n_baseline };
        let wants_half_sd = matches!(
            self.reliable_change.as_ref().map(|spec| &spec.rule),
            Some(ThresholdRule::HalfSd)
        );
        match (&self.reliability, wants_half_sd) {
            (Some(reliability), false) => jacobson_truax(sd, reliability.value, origin),
            _ => half_sd(sd, origin),
        }
    }

    /// Converts a raw total and checks it lies in the measure's range; `None` otherwise.
    pub fn score(&self, raw: f64) -> Option<f64> {
        self.conversion
            .convert(raw)
            .filter(|score| (self.min..=self.max).contains(score))
    }

    /// Whether a (converted) score is a case; `None` when the measure has no cut-off.
    pub fn is_case(&self, score: f64) -> Option<bool> {
        self.caseness
            .as_ref()
            .map(|caseness| caseness.is_case(score))
    }

    fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.key.as_str())
            .chain(std::iter::once(self.name.as_str()))
            .chain(self.aliases.iter().map(String::as_str))
    }

    fn answers_to(&self, normalised: &str) -> bool {
        !normalised.is_empty() && self.names().any(|name| normalise_name(name) == normalised)
    }
}

fn jacobson_truax(sd: f64, reliability: f64, sd_origin: SdOrigin) -> Option<(f64, ThresholdBasis)> {
    let threshold = change::standard_error_of_difference(sd, reliability)
        .map(|s_diff| JACOBSON_TRUAX_Z * s_diff)?;
    Some((
        threshold,
        ThresholdBasis::JacobsonTruax {
            sd,
            reliability,
            sd_origin,
        },
    ))
}

fn half_sd(sd: f64, sd_origin: SdOrigin) -> Option<(f64, ThresholdBasis)> {
    (sd.is_finite() && sd > 0.0).then_some((0.5 * sd, ThresholdBasis::HalfSd { sd, sd_origin }))
}

/// Sample standard deviation (n − 1), two-pass; `None` below two values or when zero.
fn sample_sd(values: &[f64]) -> Option<f64> {
    if values.len() < 2 {
        return None;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let sum_squares: f64 = values.iter().map(|x| (x - mean).powi(2)).sum();
    let sd = (sum_squares / (n - 1.0)).sqrt();
    (sd.is_finite() && sd > 0.0).then_some(sd)
}

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
            measures: default_measures(),
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
fn validate(measure: &MeasureDefinition) -> Vec<MeasureConfigError> {
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
fn name_clashes(measures: &[MeasureDefinition]) -> Vec<MeasureConfigError> {
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

/// NHS Talking Therapies caseness on PHQ-9: a score of 10 or more.
pub const PHQ9_CASENESS: f64 = 10.0;
/// NHS Talking Therapies caseness on GAD-7: a score of 8 or more.
pub const GAD7_CASENESS: f64 = 8.0;
/// NHS Talking Therapies reliable change on PHQ-9: 6 points.
pub const PHQ9_RELIABLE_CHANGE: f64 = 6.0;
/// NHS Talking Therapies reliable change on GAD-7: 4 points.
pub const GAD7_RELIABLE_CHANGE: f64 = 4.0;
/// Reliable change on CORE-10: the published reliable change index of 6 points (Barkham et
/// al. 2013, Counselling and Psychotherapy Research 13:3-13), the default; Jacobson & Truax
/// from the manual's SD and alpha (6.75) is an option through a measure override.
pub const CORE10_RELIABLE_CHANGE: f64 = 6.0;

/// The NHS Talking Therapies paired-score outcome of one referral.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TalkingTherapiesOutcome {
    /// PHQ-9 ≥ 10 or GAD-7 ≥ 8 at the first paired score.
    pub at_caseness: bool,
    /// At caseness first, and PHQ-9 < 10 and GAD-7 < 8 at the last paired score.
    pub recovered: bool,
    /// A reliable decrease on at least one measure and a reliable increase on neither.
    pub reliable_improvement: bool,
    /// A reliable increase on at least one measure and a reliable decrease on neither.
    pub reliable_deterioration: bool,
    /// Recovered and reliably improved.
    pub reliable_recovery: bool,
}

/// Classifies one referral's first and last paired PHQ-9 and GAD-7 scores.
///
/// # What it answers
/// Did this person recover, reliably improve, reliably deteriorate or reliably recover by
/// the NHS Talking Therapies (formerly IAPT) definitions?
///
/// # Formula
/// Caseness: PHQ-9 ≥ 10 or GAD-7 ≥ 8 at the first paired score. Recovered: at caseness
/// first and below both cut-offs at the last. A reliable decrease (increase) is a fall (rise)
/// of at least 6 points on PHQ-9 or 4 on GAD-7. Reliable improvement: a reliable decrease on
/// at least one measure and no reliable increase on either; reliable deterioration is the
/// mirror image; a reliable fall on one and a reliable rise on the other is neither. Reliable
/// recovery: recovered and reliably improved.
///
/// # Remarks
/// `None` when a score is not finite or outside its range (PHQ-9 0–27, GAD-7 0–21). The
/// caller chooses the cohort: NHS Talking Therapies counts only referrals that finished a
/// course of treatment (at least two treatment contacts) with paired scores, and reports
/// recovery among those at caseness. Reliable improvement and deterioration are returned
/// whether or not the person was at caseness. The anxiety measure here is GAD-7; the manual
/// substitutes an anxiety-disorder-specific measure for some problem descriptors, which this
/// function does not do.
///
/// # References
/// NHS Talking Therapies for anxiety and depression manual (NHS England); NHS Digital
/// IAPT/Talking Therapies glossary (caseness). The thresholds and the recovery and reliable
/// recovery definitions were confirmed in a secondary source (MindStep evaluation, BMC
/// Psychiatry 2018, doi:10.1186/s12888-018-1987-1, Table 1); the "no reliable increase on the
/// other measure" clause was not confirmed against the manual in this build
/// (docs/methods.md, "NHS Talking Therapies paired outcome").
pub fn talking_therapies_outcome(
    phq_first: f64,
    phq_last: f64,
    gad_first: f64,
    gad_last: f64,
) -> Option<TalkingTherapiesOutcome> {
    let in_range = |score: f64, max: f64| score.is_finite() && (0.0..=max).contains(&score);
    if !(in_range(phq_first, 27.0)
        && in_range(phq_last, 27.0)
        && in_range(gad_first, 21.0)
        && in_range(gad_last, 21.0))
    {
        return None;
    }
    let at_caseness = phq_first >= PHQ9_CASENESS || gad_first >= GAD7_CASENESS;
    let below_both_at_last = phq_last < PHQ9_CASENESS && gad_last < GAD7_CASENESS;
    let recovered = at_caseness && below_both_at_last;

    let phq_decrease = phq_first - phq_last >= PHQ9_RELIABLE_CHANGE;
    let phq_increase = phq_last - phq_first >= PHQ9_RELIABLE_CHANGE;
    let gad_decrease = gad_first - gad_last >= GAD7_RELIABLE_CHANGE;
    let gad_increase = gad_last - gad_first >= GAD7_RELIABLE_CHANGE;

    let reliable_improvement = (phq_decrease || gad_decrease) && !(phq_increase || gad_increase);
    let reliable_deterioration = (phq_increase || gad_increase) && !(phq_decrease || gad_decrease);
    Some(TalkingTherapiesOutcome {
        at_caseness,
        recovered,
        reliable_improvement,
        reliable_deterioration,
        reliable_recovery: recovered && reliable_improvement,
    })
}

// ---------------------------------------------------------------------------------------
// Defaults. Each value's source is stated; `estimate: true` marks the values that could not
// be confirmed against a primary or authoritative secondary source while building this
// catalogue (docs/methods.md, "Outcome measures: the catalogue and its defaults").
// ---------------------------------------------------------------------------------------

fn text(s: &str) -> String {
    s.to_string()
}

fn note(s: &str) -> Option<String> {
    Some(s.to_string())
}

fn aliases(names: &[&str]) -> Vec<String> {
    names.iter().map(|name| name.to_string()).collect()
}

const TALKING_THERAPIES_SOURCE: &str = "NHS Talking Therapies (formerly IAPT) definitions, NHS England manual and NHS Digital; confirmed in MindStep evaluation, BMC Psychiatry 2018, doi:10.1186/s12888-018-1987-1, Table 1";

/// SWEMWBS raw total (7–35) to metric score, Warwick scoring guidance.
const SWEMWBS_METRIC: [(f64, f64); 29] = [
    (7.0, 7.00),
    (8.0, 9.51),
    (9.0, 11.25),
    (10.0, 12.40),
    (11.0, 13.33),
    (12.0, 14.08),
    (13.0, 14.75),
    (14.0, 15.32),
    (15.0, 15.84),
    (16.0, 16.36),
    (17.0, 16.88),
    (18.0, 17.43),
    (19.0, 17.98),
    (20.0, 18.59),
    (21.0, 19.25),
    (22.0, 19.98),
    (23.0, 20.73),
    (24.0, 21.54),
    (25.0, 22.35),
    (26.0, 23.21),
    (27.0, 24.11),
    (28.0, 25.03),
    (29.0, 26.02),
    (30.0, 27.03),
    (31.0, 28.13),
    (32.0, 29.31),
    (33.0, 30.70),
    (34.0, 32.55),
    (35.0, 35.00),
];

fn default_measures() -> Vec<MeasureDefinition> {
    let mut measures = vec![
        phq9(),
        gad7(),
        core10(),
        core_om(),
        wemwbs(),
        swemwbs(),
        reqol10(),
        dialog(),
        recovery_star(),
        goal_based_outcomes(),
    ];
    measures.extend(
        crate::ingest::wide::RECOVERY_STAR_AREAS
            .iter()
            .map(|area| recovery_star_area(area)),
    );
    measures
}

fn phq9() -> MeasureDefinition {
    MeasureDefinition {
        key: text("PHQ-9"),
        name: text("Patient Health Questionnaire-9"),
        aliases: aliases(&[
            "PHQ9",
            "PHQ 9",
            "Patient Health Questionnaire",
            "Patient Health Questionnaire 9",
        ]),
        min: 0.0,
        max: 27.0,
        direction: Direction::LowerIsBetter,
        scale_source: text("Kroenke, Spitzer & Williams (2001), J Gen Intern Med 16:606-613: nine items scored 0-3"),
        sd: Some(StandardDeviation {
            value: 5.5,
            population: text("clinical (approximate)"),
            source: text("working value with no confirmed source (docs/methods.md, \"Notes on individual measures\")"),
            estimate: true,
            note: note("Not confirmed against a published sample; prefer the local baseline SD."),
        }),
        reliability: Some(Reliability {
            value: 0.84,
            kind: ReliabilityKind::TestRetest,
            source: text("Kroenke, Spitzer & Williams (2001)"),
            estimate: true,
            note: note("Test-retest value not re-checked against the paper; internal consistency alpha 0.89 is confirmed there."),
        }),
        caseness: Some(Caseness {
            cutoff: PHQ9_CASENESS,
            rule: CasenessRule::AtOrAbove,
            meaning: text("clinical range for depression (NHS Talking Therapies caseness); Kroenke et al. 2001: >= 10 had 88% sensitivity and specificity for major depression"),
            source: text("Kroenke, Spitzer & Williams (2001); NHS Talking Therapies"),
            estimate: false,
            note: None,
        }),
        norms: None,
        reliable_change: Some(ReliableChangeSpec {
            rule: ThresholdRule::Published { value: PHQ9_RELIABLE_CHANGE },
            source: text(TALKING_THERAPIES_SOURCE),
            estimate: false,
            note: note("The NHS Talking Therapies manual itself was not retrieved; the value is confirmed in the secondary source named."),
        }),
        conversion: ScoreConversion::Identity,
        notes: note("Severity bands 5/10/15/20 (Kroenke et al. 2001)."),
        origin: MeasureOrigin::Default,
    }
}

fn gad7() -> MeasureDefinition {
    MeasureDefinition {
        key: text("GAD-7"),
        name: text("Generalised Anxiety Disorder Assessment-7"),
        aliases: aliases(&[
            "GAD7",
            "GAD 7",
            "Generalized Anxiety Disorder 7",
            "Generalised Anxiety Disorder 7",
            "Generalised Anxiety Disorder Assessment",
        ]),
        min: 0.0,
        max: 21.0,
        direction: Direction::LowerIsBetter,
        scale_source: text("Spitzer, Kroenke, Williams & Löwe (2006), Arch Intern Med 166:1092-1097: seven items scored 0-3"),
        sd: Some(StandardDeviation {
            value: 4.5,
            population: text("clinical (approximate)"),
            source: text("working value with no confirmed source (docs/methods.md, \"Notes on individual measures\")"),
            estimate: true,
            note: note("Not confirmed against a published sample; prefer the local baseline SD."),
        }),
        reliability: Some(Reliability {
            value: 0.83,
            kind: ReliabilityKind::TestRetest,
            source: text("Spitzer et al. (2006), test-retest intraclass correlation"),
            estimate: true,
            note: note("Not re-checked against the paper in this build."),
        }),
        caseness: Some(Caseness {
            cutoff: GAD7_CASENESS,
            rule: CasenessRule::AtOrAbove,
            meaning: text("clinical range for anxiety (NHS Talking Therapies caseness)"),
            source: text(TALKING_THERAPIES_SOURCE),
            estimate: false,
            note: note("Spitzer et al. (2006) use 10 to screen for generalised anxiety disorder; NHS Talking Therapies uses 8."),
        }),
        norms: None,
        reliable_change: Some(ReliableChangeSpec {
            rule: ThresholdRule::Published { value: GAD7_RELIABLE_CHANGE },
            source: text(TALKING_THERAPIES_SOURCE),
            estimate: false,
            note: note("The NHS Talking Therapies manual itself was not retrieved; the value is confirmed in the secondary source named."),
        }),
        conversion: ScoreConversion::Identity,
        notes: note("Severity bands 5/10/15 (Spitzer et al. 2006)."),
        origin: MeasureOrigin::Default,
    }
}

fn core10() -> MeasureDefinition {
    const MANUAL: &str = "CORE-10 user manual (Connell & Barkham 2007) and Barkham et al. (2013), Counselling and Psychotherapy Research 13:3-13; confirmed via the NovoPsych CORE-10 summary";
    MeasureDefinition {
        key: text("CORE-10"),
        name: text("Clinical Outcomes in Routine Evaluation-10"),
        aliases: aliases(&["CORE10", "CORE 10", "Clinical Outcomes in Routine Evaluation 10"]),
        min: 0.0,
        max: 40.0,
        direction: Direction::LowerIsBetter,
        scale_source: text("Barkham et al. (2013): ten items scored 0-4, total 0-40"),
        sd: Some(StandardDeviation {
            value: 7.7,
            population: text("clinical: primary care counselling (n = 1835, mean 19.7)"),
            source: text(MANUAL),
            estimate: false,
            note: None,
        }),
        reliability: Some(Reliability {
            value: 0.90,
            kind: ReliabilityKind::Alpha,
            source: text(MANUAL),
            estimate: false,
            note: None,
        }),
        caseness: Some(Caseness {
            cutoff: 11.0,
            rule: CasenessRule::AtOrAbove,
            meaning: text("clinically significant psychological distress"),
            source: text(MANUAL),
            estimate: false,
            note: None,
        }),
        norms: Some(CriterionNorms {
            clinical_mean: 19.7,
            clinical_sd: 7.7,
            normal_mean: 4.7,
            normal_sd: 4.8,
            source: text("CORE-10 user manual (Connell & Barkham 2007): primary care counselling n = 1835; general population n = 535"),
            estimate: false,
            note: None,
        }),
        // The published reliable change index is the default. Jacobson & Truax from the
        // manual's clinical SD and alpha (1.96 x 7.7 x sqrt(2 x (1 - 0.90)) = 6.75) is an
        // option: `reliable_change = { method = "jacobson_truax" }` in the measure's override.
        reliable_change: Some(ReliableChangeSpec {
            rule: ThresholdRule::Published { value: CORE10_RELIABLE_CHANGE },
            source: text("Barkham et al. (2013), Counselling and Psychotherapy Research 13:3-13: reliable change index of 6 points"),
            estimate: false,
            note: note("Jacobson & Truax (1991) from the manual's clinical SD 7.7 and alpha .90 gives 6.75; choose it with reliable_change = { method = \"jacobson_truax\" } in a measure override."),
        }),
        conversion: ScoreConversion::Identity,
        notes: None,
        origin: MeasureOrigin::Default,
    }
}

fn core_om() -> MeasureDefinition {
    MeasureDefinition {
        key: text("CORE-OM"),
        name: text("Clinical Outcomes in Routine Evaluation - Outcome Measure (clinical score)"),
        aliases: aliases(&[
            "COREOM",
            "CORE OM",
            "CORE-OM clinical score",
            "Clinical Outcomes in Routine Evaluation Outcome Measure",
        ]),
        min: 0.0,
        max: 40.0,
        direction: Direction::LowerIsBetter,
        scale_source: text("Connell et al. (2007), Br J Psychiatry 190:69-74: clinical score = mean item score x 10, 0-40"),
        sd: Some(StandardDeviation {
            value: 7.5,
            population: text("clinical (approximate)"),
            source: text("Evans et al. 2002; Connell et al. 2007, value not confirmed in either (docs/methods.md, \"The defaults\")"),
            estimate: true,
            note: note("Not confirmed against either paper."),
        }),
        reliability: Some(Reliability {
            value: 0.94,
            kind: ReliabilityKind::Alpha,
            source: text("Evans et al. (2002), Br J Psychiatry 180:51-60"),
            estimate: true,
            note: note("Not re-checked against the paper in this build."),
        }),
        caseness: Some(Caseness {
            cutoff: 10.0,
            rule: CasenessRule::AtOrAbove,
            meaning: text("clinical population (cut-off 9.9 between general population and clinical samples)"),
            source: text("Connell et al. (2007), Br J Psychiatry 190:69-74"),
            estimate: false,
            note: note("Published cut-off 9.9 on the 0-40 scale, used as 10."),
        }),
        norms: None,
        reliable_change: Some(ReliableChangeSpec {
            rule: ThresholdRule::JacobsonTruax,
            source: text("computed by Jacobson & Truax (1991) from the SD and alpha above"),
            estimate: true,
            note: note("Methods-reference gives about 5 (check); the inputs are unconfirmed. Prefer the local baseline SD."),
        }),
        conversion: ScoreConversion::Identity,
        notes: note("Scores must be the clinical score (0-40). A mean item score (0-4) must be multiplied by 10 first."),
        origin: MeasureOrigin::Default,
    }
}

fn wemwbs() -> MeasureDefinition {
    MeasureDefinition {
        key: text("WEMWBS"),
        name: text("Warwick-Edinburgh Mental Wellbeing Scale"),
        aliases: aliases(&[
            "Warwick Edinburgh Mental Wellbeing Scale",
            "Warwick-Edinburgh Mental Well-being Scale",
            "WEMWBS 14",
        ]),
        min: 14.0,
        max: 70.0,
        direction: Direction::HigherIsBetter,
        scale_source: text("Warwick Medical School WEMWBS scoring guidance: 14 items scored 1-5, total 14-70"),
        sd: Some(StandardDeviation {
            value: 8.79,
            population: text("general population (Scotland)"),
            source: text("Tennant et al. (2007), Health Qual Life Outcomes 5:63"),
            estimate: true,
            note: note("Not re-checked against the paper in this build."),
        }),
        reliability: Some(Reliability {
            value: 0.89,
            kind: ReliabilityKind::Alpha,
            source: text("Tennant et al. (2007)"),
            estimate: true,
            note: note("Not re-checked against the paper in this build."),
        }),
        caseness: Some(Caseness {
            cutoff: 40.0,
            rule: CasenessRule::AtOrBelow,
            meaning: text("probable depression"),
            source: text("working value, not confirmed (docs/methods.md, \"Notes on individual measures\")"),
            estimate: true,
            note: note("Not confirmed. Another published screening cut-off is 43.5 against the CES-D (Bianco 2012, University of Bologna thesis)."),
        }),
        norms: None,
        reliable_change: Some(ReliableChangeSpec {
            rule: ThresholdRule::JacobsonTruax,
            source: text("computed by Jacobson & Truax (1991) from the SD and alpha above"),
            estimate: true,
            note: note("Consistent with Maheswaran et al. (2012), Health Qual Life Outcomes 10:156: SEM 2.4-3.1, individual threshold 2.77 x SEM = 6.6-8.6 points. The often-quoted 3 points is about one SEM, not a 95% reliable change."),
        }),
        conversion: ScoreConversion::Identity,
        notes: None,
        origin: MeasureOrigin::Default,
    }
}

fn swemwbs() -> MeasureDefinition {
    MeasureDefinition {
        key: text("SWEMWBS"),
        name: text("Short Warwick-Edinburgh Mental Wellbeing Scale (metric score)"),
        aliases: aliases(&[
            "Short Warwick Edinburgh Mental Wellbeing Scale",
            "Short Warwick-Edinburgh Mental Well-being Scale",
            "SWEMWBS 7",
            "S-WEMWBS",
        ]),
        min: 7.0,
        max: 35.0,
        direction: Direction::HigherIsBetter,
        scale_source: text("Stewart-Brown et al. (2009), Health Qual Life Outcomes 7:15; Warwick scoring guidance: seven items scored 1-5, raw total 7-35 converted to a metric score 7.00-35.00"),
        sd: Some(StandardDeviation {
            value: 3.921,
            population: text("clinical: adults starting cognitive hypnotherapy (n = 172, baseline mean 19.28)"),
            source: text("Shah et al. (2018), Health Qual Life Outcomes 16:239"),
            estimate: false,
            note: None,
        }),
        reliability: Some(Reliability {
            value: 0.84,
            kind: ReliabilityKind::Alpha,
            source: text("working value, not confirmed (docs/methods.md, \"Notes on individual measures\")"),
            estimate: true,
            note: note("Not confirmed. Shah et al. (2018) report 1 SEM = 1.03 points with baseline SD 3.921, which implies a reliability near 0.93 in that sample."),
        }),
        caseness: Some(Caseness {
            cutoff: 17.0,
            rule: CasenessRule::AtOrBelow,
            meaning: text("probable depression (metric score)"),
            source: text("working value, not confirmed (docs/methods.md, \"Notes on individual measures\")"),
            estimate: true,
            note: note("Not confirmed against the Warwick guidance."),
        }),
        norms: None,
        reliable_change: Some(ReliableChangeSpec {
            rule: ThresholdRule::Published { value: 2.87 },
            source: text("Shah et al. (2018), Health Qual Life Outcomes 16:239: 2.77 x SEM = 2.87 points"),
            estimate: false,
            note: note("Distribution-based threshold from one clinical sample; 1 SEM = 1.03 points."),
        }),
        conversion: ScoreConversion::Table {
            name: text("SWEMWBS raw total to metric score"),
            points: SWEMWBS_METRIC
                .iter()
                .map(|&(raw, converted)| ConversionPoint { raw, converted })
                .collect(),
            source: text("Warwick Medical School SWEMWBS scoring guidance (Rasch-based conversion table)"),
            estimate: false,
            note: note("The Warwick page confirms raw totals must be converted; the table was cross-checked against an independent transcription and the Health Survey for England median of 23.2 (Ng Fat et al. 2017), a table value. Confirm against the Warwick user guide before publication. If an export already holds metric scores, override conversion to identity."),
        },
        notes: None,
        origin: MeasureOrigin::Default,
    }
}

fn reqol10() -> MeasureDefinition {
    MeasureDefinition {
        key: text("ReQoL-10"),
        name: text("Recovering Quality of Life-10"),
        aliases: aliases(&["ReQoL10", "ReQoL 10", "ReQoL", "Recovering Quality of Life"]),
        min: 0.0,
        max: 40.0,
        direction: Direction::HigherIsBetter,
        scale_source: text("Keetharuth et al. (2018), Br J Psychiatry 212:42-49: ten items scored 0-4, total 0-40"),
        sd: None,
        reliability: Some(Reliability {
            value: 0.85,
            kind: ReliabilityKind::TestRetest,
            source: text("Keetharuth et al. (2018): test-retest reliability above 0.85"),
            estimate: true,
            note: note("The paper reports > 0.85; 0.85 is used as a lower bound (which slightly enlarges the threshold)."),
        }),
        caseness: Some(Caseness {
            cutoff: 24.0,
            rule: CasenessRule::Below,
            meaning: text("clinical range (24 and above is the general-population range)"),
            source: text("ReQoL scoring guidance as tabulated by Franklin et al. (2021), Qual Life Res, doi:10.1007/s11136-021-02833-1"),
            estimate: false,
            note: None,
        }),
        norms: None,
        reliable_change: None,
        conversion: ScoreConversion::Identity,
        notes: note("No published reliable-change value or SD was confirmed: with at least 30 baseline scores the local SD gives a Jacobson-Truax threshold; otherwise enter one."),
        origin: MeasureOrigin::Default,
    }
}

fn dialog() -> MeasureDefinition {
    MeasureDefinition {
        key: text("DIALOG"),
        name: text("DIALOG scale: subjective quality of life (mean of the eight life-domain items)"),
        aliases: aliases(&[
            "DIALOG scale",
            "DIALOG SQOL",
            "DIALOG quality of life",
            "DIALOG mean score",
        ]),
        min: 1.0,
        max: 7.0,
        direction: Direction::HigherIsBetter,
        scale_source: text("East London NHS Foundation Trust DIALOG scale page (dialog.elft.nhs.uk): eight life domains rated 1-7, score = mean; below 4 dissatisfied, 4 neutral"),
        sd: Some(StandardDeviation {
            value: 1.1,
            population: text("routine community mental health care, East London (5646 patients; life-domain mean 4.65)"),
            source: text("Routine measurement of satisfaction with life and treatment aspects in mental health patients - the DIALOG scale in East London, BMC Health Serv Res 2020, doi:10.1186/s12913-020-05840-z"),
            estimate: false,
            note: None,
        }),
        reliability: Some(Reliability {
            value: 0.71,
            kind: ReliabilityKind::Alpha,
            source: text("Priebe et al. (2012), BMC Psychiatry 12:113"),
            estimate: false,
            note: None,
        }),
        caseness: None,
        norms: None,
        reliable_change: Some(ReliableChangeSpec {
            rule: ThresholdRule::HalfSd,
            source: text("Norman, Sloan & Wyrwich (2003) half-SD rule; no reliable-change value is published for DIALOG"),
            estimate: true,
            note: note("Distribution-based; the Jacobson-Truax value with alpha 0.71 would be about 1.64."),
        }),
        conversion: ScoreConversion::Identity,
        notes: note("The three treatment-satisfaction items form a separate score and are not this measure."),
        origin: MeasureOrigin::Default,
    }
}

fn recovery_star() -> MeasureDefinition {
    MeasureDefinition {
        key: text("Recovery Star"),
        name: text("Mental Health Recovery Star (total of ten areas)"),
        aliases: aliases(&["Mental Health Recovery Star", "MHRS", "RecoveryStar"]),
        min: 10.0,
        max: 100.0,
        direction: Direction::HigherIsBetter,
        scale_source: text("Mental Health Recovery Star (Triangle Consulting; Mental Health Providers Forum): ten areas each rated 1-10"),
        sd: None,
        reliability: None,
        caseness: None,
        norms: None,
        reliable_change: None,
        conversion: ScoreConversion::Identity,
        notes: note("Killaspy et al. (2012), Br J Psychiatry 201:65-70: good test-retest but inadequate inter-rater reliability; not recommended as a routine outcome tool. Movement between stages per area is the usual summary. A local half-SD threshold is available with at least 30 baseline totals."),
        origin: MeasureOrigin::Default,
    }
}

/// One area of the Recovery Star, as a Star export records it (one column per area): read from
/// wide files as its own measure, so movement per area can be followed.
fn recovery_star_area(area: &str) -> MeasureDefinition {
    MeasureDefinition {
        key: crate::ingest::wide::star_area_measure(area),
        name: format!("Mental Health Recovery Star: {} (one area)", area.to_lowercase()),
        aliases: Vec::new(),
        min: 1.0,
        max: 10.0,
        direction: Direction::HigherIsBetter,
        scale_source: text("Mental Health Recovery Star (Triangle Consulting; Mental Health Providers Forum): each area rated 1-10 through five stages of change"),
        sd: None,
        reliability: None,
        caseness: None,
        norms: None,
        reliable_change: None,
        conversion: ScoreConversion::Identity,
        notes: note("Killaspy et al. (2012), Br J Psychiatry 201:65-70: inadequate inter-rater reliability. A local half-SD threshold is available with at least 30 baseline ratings."),
        origin: MeasureOrigin::Default,
    }
}

fn goal_based_outcomes() -> MeasureDefinition {
    MeasureDefinition {
        key: text("GBO"),
        name: text("Goal-based outcomes (progress towards a goal, per goal)"),
        aliases: aliases(&["Goal Based Outcomes", "Goal-based outcome", "Goals based outcomes", "GBOs"]),
        min: 0.0,
        max: 10.0,
        direction: Direction::HigherIsBetter,
        scale_source: text("Law & Jacob (2015), Goals and Goal Based Outcomes (CAMHS Press); CORC: progress rated 0-10"),
        sd: None,
        reliability: None,
        caseness: None,
        norms: None,
        reliable_change: Some(ReliableChangeSpec {
            rule: ThresholdRule::Published { value: 2.45 },
            source: text("Edbrooke-Childs et al. (2015), as cited by CORC"),
            estimate: true,
            note: note("The paper was not retrieved in this build (docs/methods.md, \"Notes on individual measures\"). Ratings are whole numbers, so a move of 3 or more is reliable."),
        }),
        conversion: ScoreConversion::Identity,
        notes: None,
        origin: MeasureOrigin::Default,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> MeasureCatalogue {
        MeasureCatalogue::defaults()
    }

    fn threshold(name: &str) -> f64 {
        catalogue()
            .lookup(name)
            .and_then(MeasureDefinition::effective_threshold)
            .map_or(f64::NAN, |(t, _)| t)
    }

    #[test]
    fn defaults_pass_their_own_validation() {
        let defaults = catalogue();
        for measure in defaults.measures() {
            assert_eq!(validate(measure), Vec::new(), "{}", measure.key);
        }
        assert!(name_clashes(defaults.measures()).is_empty());
        assert_eq!(defaults.measures().len(), 20);
    }

    #[test]
    fn lookup_ignores_case_spacing_and_punctuation() {
        let c = catalogue();
        for spelling in [
            "PHQ-9",
            "phq9",
            "PHQ 9",
            "Patient Health Questionnaire",
            " phq_9 ",
        ] {
            assert_eq!(c.lookup(spelling).map(|m| m.key.as_str()), Some("PHQ-9"));
        }
        assert_eq!(c.lookup("gad-7").map(|m| m.key.as_str()), Some("GAD-7"));
        assert_eq!(
            c.lookup("S-WEMWBS").map(|m| m.key.as_str()),
            Some("SWEMWBS")
        );
        assert_eq!(c.lookup("wemwbs").map(|m| m.key.as_str()), Some("WEMWBS"));
        assert_eq!(
            c.lookup("recovery-star").map(|m| m.key.as_str()),
            Some("Recovery Star")
        );
        assert!(c.lookup("HoNOS").is_none());
        assert!(c.lookup("--").is_none());
    }

    /// Hand-worked: CORE-10 is the published 6 (Barkham et al. 2013); CORE-OM
    /// 1.96·7.5·√0.12 = 5.0922; WEMWBS 1.96·8.79·√0.22 = 8.0808; DIALOG 0.5·1.1 = 0.55.
    #[test]
    fn effective_thresholds_worked_by_hand() {
        assert_eq!(threshold("PHQ-9"), 6.0);
        assert_eq!(threshold("GAD-7"), 4.0);
        assert_eq!(threshold("CORE-10"), 6.0);
        assert!((threshold("CORE-OM") - 5.092_2).abs() < 1e-4);
        assert!((threshold("WEMWBS") - 8.080_8).abs() < 1e-4);
        assert!((threshold("DIALOG") - 0.55).abs() < 1e-12);
        assert_eq!(threshold("SWEMWBS"), 2.87);
        assert_eq!(threshold("GBO"), 2.45);
        assert!(catalogue()
            .lookup("ReQoL-10")
            .and_then(MeasureDefinition::effective_threshold)
            .is_none());
    }

    #[test]
    fn effective_threshold_reports_its_basis() {
        // CORE-10 by default: the published reliable change index, with its source.
        let c = catalogue();
        let (value, basis) = c
            .lookup("CORE-10")
            .and_then(MeasureDefinition::effective_threshold)
            .expect("CORE-10 has a threshold");
        assert_eq!(value, 6.0);
        assert_eq!(
            basis,
            ThresholdBasis::Published {
                value: 6.0,
                source: "Barkham et al. (2013), Counselling and Psychotherapy Research 13:3-13: reliable change index of 6 points".into()
            }
        );
    }

    /// The Jacobson & Truax value stays available as an option. Hand-worked:
    /// 1.96·7.7·√(2·(1 − 0.90)) = 1.96·7.7·0.4472136 = 6.7493.
    #[test]
    fn core10_jacobson_truax_is_an_option() {
        let c = catalogue()
            .with_overrides(vec![MeasureOverride {
                measure: "CORE-10".into(),
                reliable_change: Some(ThresholdRule::JacobsonTruax),
                ..MeasureOverride::default()
            }])
            .expect("valid");
        let (value, basis) = c
            .lookup("CORE-10")
            .and_then(MeasureDefinition::effective_threshold)
            .expect("threshold");
        assert!((value - 6.749_3).abs() < 1e-4);
        assert_eq!(
            basis,
            ThresholdBasis::JacobsonTruax {
                sd: 7.7,
                reliability: 0.9,
                sd_origin: SdOrigin::Catalogue
            }
        );
    }

    /// 30 scores 0, 1, ..., 29: sample SD = √(30·31/12) = 8.803408; with r = 0.85 (ReQoL-10)
    /// the threshold is 1.96·8.803408·√0.3 = 9.450778 (checked with numpy 2.2.6, ddof = 1);
    /// Recovery Star (no r) gives the half SD, 4.401704.
    #[test]
    fn local_sd_threshold_needs_thirty_scores() {
        let c = catalogue();
        let scores: Vec<f64> = (0..30).map(f64::from).collect();
        let reqol = c.lookup("ReQoL-10").expect("default");
        let (t, basis) = reqol.local_sd_threshold(&scores).expect("30 scores");
        assert!((t - 9.450_778).abs() < 1e-6, "{t}");
        assert!(matches!(
            basis,
            ThresholdBasis::JacobsonTruax {
                sd_origin: SdOrigin::LocalBaseline { n_baseline: 30 },
                ..
            }
        ));
        assert!(reqol.local_sd_threshold(&scores[..29]).is_none());
        let mut with_gaps = scores.clone();
        with_gaps.push(f64::NAN);
        assert_eq!(
            reqol.local_sd_threshold(&with_gaps).map(|(t, _)| t),
            Some(t)
        );
        let star = c.lookup("Recovery Star").expect("default");
        let (half, _) = star.local_sd_threshold(&scores).expect("30 scores");
        assert!((half - 4.401_704).abs() < 1e-6);
        assert!(star.local_sd_threshold(&[5.0; 40]).is_none());
    }

    #[test]
    fn swemwbs_conversion_is_monotonic_and_matches_the_table_end_points() {
        let c = catalogue();
        let swemwbs = c.lookup("SWEMWBS").expect("default");
        assert_eq!(swemwbs.score(7.0), Some(7.0));
        assert_eq!(swemwbs.score(35.0), Some(35.0));
        assert_eq!(swemwbs.score(8.0), Some(9.51));
        assert_eq!(swemwbs.score(34.0), Some(32.55));
        let converted: Vec<f64> = (7..=35)
            .map(|raw| swemwbs.score(f64::from(raw)).unwrap_or(f64::NAN))
            .collect();
        assert_eq!(converted.len(), 29);
        assert!(converted.windows(2).all(|pair| pair[0] < pair[1]));
        assert_eq!(swemwbs.score(6.0), None);
        assert_eq!(swemwbs.score(36.0), None);
        assert_eq!(swemwbs.score(20.5), None);
        assert_eq!(swemwbs.score(f64::NAN), None);
        assert_eq!(c.lookup("PHQ-9").and_then(|m| m.score(12.0)), Some(12.0));
        assert_eq!(c.lookup("PHQ-9").and_then(|m| m.score(28.0)), None);
    }

    #[test]
    fn caseness_rules_follow_each_measure() {
        let c = catalogue();
        let case = |name: &str, score: f64| c.lookup(name).and_then(|m| m.is_case(score));
        assert_eq!(case("PHQ-9", 10.0), Some(true));
        assert_eq!(case("PHQ-9", 9.0), Some(false));
        assert_eq!(case("GAD-7", 8.0), Some(true));
        assert_eq!(case("CORE-10", 10.0), Some(false));
        assert_eq!(case("WEMWBS", 40.0), Some(true));
        assert_eq!(case("WEMWBS", 41.0), Some(false));
        assert_eq!(case("ReQoL-10", 23.0), Some(true));
        assert_eq!(case("ReQoL-10", 24.0), Some(false));
        assert_eq!(case("DIALOG", 2.0), None);
    }

    /// CORE-10 manual norms: c = (7.7·4.7 + 4.8·19.7)/(7.7 + 4.8) = 130.75/12.5 = 10.46.
    #[test]
    fn core10_criterion_c_sits_just_below_the_cut_off() {
        let c = catalogue()
            .lookup("CORE-10")
            .and_then(|m| m.norms.as_ref())
            .and_then(CriterionNorms::criterion_c)
            .unwrap_or(f64::NAN);
        assert!((c - 10.46).abs() < 1e-12);
    }

    /// Worked cases of the NHS Talking Therapies definitions.
    #[test]
    fn talking_therapies_hand_worked_cases() {
        let outcome = |a, b, c, d| talking_therapies_outcome(a, b, c, d).expect("in range");
        // PHQ 15 -> 8 (-7, reliable), GAD 12 -> 7 (-5, reliable): reliable recovery.
        let o = outcome(15.0, 8.0, 12.0, 7.0);
        assert!(o.at_caseness && o.recovered && o.reliable_improvement && o.reliable_recovery);
        assert!(!o.reliable_deterioration);
        // PHQ 11 -> 9 (-2), GAD 6 -> 5: recovered but not reliably.
        let o = outcome(11.0, 9.0, 6.0, 5.0);
        assert!(o.recovered && !o.reliable_improvement && !o.reliable_recovery);
        // PHQ 20 -> 12 (-8) but GAD 5 -> 9 (+4): mixed, neither improvement nor deterioration.
        let o = outcome(20.0, 12.0, 5.0, 9.0);
        assert!(!o.reliable_improvement && !o.reliable_deterioration && !o.recovered);
        // Below caseness first: PHQ 6 -> 0 reliable improvement but cannot recover.
        let o = outcome(6.0, 0.0, 3.0, 2.0);
        assert!(!o.at_caseness && o.reliable_improvement && !o.recovered);
        // GAD 7 -> 11 (+4) with PHQ steady: reliable deterioration into caseness.
        let o = outcome(4.0, 5.0, 7.0, 11.0);
        assert!(o.reliable_deterioration && !o.reliable_improvement && !o.at_caseness);
        // Exactly on the thresholds: PHQ 10 -> 4 (-6) counts; GAD 8 -> 4 (-4) counts.
        let o = outcome(10.0, 4.0, 8.0, 4.0);
        assert!(o.reliable_recovery);
        // Out-of-range or missing scores.
        assert!(talking_therapies_outcome(28.0, 4.0, 8.0, 4.0).is_none());
        assert!(talking_therapies_outcome(10.0, 4.0, 22.0, 4.0).is_none());
        assert!(talking_therapies_outcome(f64::NAN, 4.0, 8.0, 4.0).is_none());
        assert!(talking_therapies_outcome(-1.0, 4.0, 8.0, 4.0).is_none());
    }

    #[test]
    fn overrides_change_values_and_record_their_source() {
        let c = catalogue()
            .with_overrides(vec![MeasureOverride {
                measure: "core 10".into(),
                source: Some("Trust audit 2023".into()),
                sd: Some(10.0),
                reliability: Some(0.8),
                reliable_change: Some(ThresholdRule::JacobsonTruax),
                ..MeasureOverride::default()
            }])
            .expect("valid");
        let core10 = c.lookup("CORE-10").expect("still there");
        let (t, _) = core10.effective_threshold().expect("threshold");
        // 1.96·10·√0.4 = 12.396128 (Jacobson & Truax, recomputed from the new inputs).
        assert!((t - 12.396_128_427_860_045).abs() < 1e-12);
        assert_eq!(
            core10.sd.as_ref().map(|sd| sd.source.as_str()),
            Some("user configuration: Trust audit 2023")
        );
        assert_eq!(
            core10.reliability.as_ref().map(|r| r.kind),
            Some(ReliabilityKind::Alpha)
        );
        assert_eq!(
            core10.origin,
            MeasureOrigin::Overridden {
                fields: vec!["sd".into(), "reliability".into(), "reliable_change".into()]
            }
        );
    }

    #[test]
    fn a_user_can_add_a_measure() {
        let c = catalogue()
            .with_overrides(vec![MeasureOverride {
                measure: "HoNOS".into(),
                aliases: vec!["Health of the Nation Outcome Scales".into()],
                min: Some(0.0),
                max: Some(48.0),
                direction: Some(Direction::LowerIsBetter),
                reliable_change: Some(ThresholdRule::Published { value: 8.0 }),
                estimate: Some(true),
                ..MeasureOverride::default()
            }])
            .expect("valid");
        let honos = c
            .lookup("health of the nation outcome scales")
            .expect("added");
        assert_eq!(honos.origin, MeasureOrigin::UserAdded);
        assert_eq!(honos.effective_threshold().map(|(t, _)| t), Some(8.0));
        assert_eq!(
            honos.reliable_change.as_ref().map(|s| s.estimate),
            Some(true)
        );
    }

    #[test]
    fn invalid_overrides_name_the_measure_and_field() {
        let errors = catalogue()
            .with_overrides(vec![
                MeasureOverride {
                    measure: "PHQ9".into(),
                    reliability: Some(1.0),
                    sd: Some(0.0),
                    ..MeasureOverride::default()
                },
                MeasureOverride {
                    measure: "My scale".into(),
                    min: Some(10.0),
                    max: Some(5.0),
                    direction: Some(Direction::HigherIsBetter),
                    ..MeasureOverride::default()
                },
                MeasureOverride {
                    measure: "Half done".into(),
                    min: Some(0.0),
                    ..MeasureOverride::default()
                },
                MeasureOverride {
                    measure: "Other".into(),
                    min: Some(0.0),
                    max: Some(5.0),
                    direction: Some(Direction::HigherIsBetter),
                    aliases: vec!["gad 7".into()],
                    reliable_change: Some(ThresholdRule::JacobsonTruax),
                    ..MeasureOverride::default()
                },
            ])
            .expect_err("invalid");
        let found: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.measure.as_str(), e.field.as_str()))
            .collect();
        for expected in [
            ("PHQ-9", "sd"),
            ("PHQ-9", "reliability"),
            ("My scale", "min"),
            ("Half done", "max"),
            ("Half done", "direction"),
            ("Other", "reliable_change"),
            ("Other", "aliases"),
        ] {
            assert!(found.contains(&expected), "{expected:?} not in {found:?}");
        }
        let message = errors
            .iter()
            .find(|e| e.field == "reliability")
            .map(ToString::to_string)
            .unwrap_or_default();
        assert_eq!(
            message,
            "measure `PHQ-9`, field `reliability`: must be at least 0 and below 1, found 1"
        );
    }

    #[test]
    fn overrides_parse_from_json_and_reject_unknown_fields() {
        let json = r#"[{"measure": "SWEMWBS", "conversion": {"kind": "identity"},
                        "reliable_change": {"method": "half_sd"}, "sd": 4.0}]"#;
        let user: Vec<MeasureOverride> = serde_json::from_str(json).expect("parses");
        let c = catalogue().with_overrides(user).expect("valid");
        let swemwbs = c.lookup("swemwbs").expect("present");
        assert_eq!(swemwbs.score(20.0), Some(20.0));
        assert_eq!(swemwbs.effective_threshold().map(|(t, _)| t), Some(2.0));
        let typo = r#"[{"measure": "PHQ-9", "reliabilty": 0.8}]"#;
        assert!(serde_json::from_str::<Vec<MeasureOverride>>(typo).is_err());
        let bad_rule = r#"{"method": "published", "value": 5, "extra": 1}"#;
        assert!(serde_json::from_str::<ThresholdRule>(bad_rule).is_err());
    }

    #[test]
    fn the_catalogue_serialises_every_value_with_its_source() {
        let json = serde_json::to_value(catalogue()).expect("serialises");
        let measures = json["measures"].as_array().expect("array");
        let phq9 = &measures[0];
        assert_eq!(phq9["key"], "PHQ-9");
        assert_eq!(phq9["reliable_change"]["rule"]["method"], "published");
        assert_eq!(phq9["reliable_change"]["rule"]["value"], 6.0);
        assert_eq!(phq9["reliability"]["estimate"], true);
        assert_eq!(phq9["direction"], "lower_is_better");
        assert_eq!(phq9["origin"]["kind"], "default");
        for measure in measures {
            assert!(measure["scale_source"]
                .as_str()
                .is_some_and(|s| !s.is_empty()));
        }
        // A definition round-trips through its own serialised form.
        let definition: MeasureDefinition =
            serde_json::from_value(measures[5].clone()).expect("round trip");
        assert_eq!(Some(&definition), catalogue().lookup("SWEMWBS"));
    }
}
