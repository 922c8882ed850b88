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

mod catalogue;
mod defaults;
mod talking_therapies;

pub use catalogue::*;
pub use defaults::{star_area_measure, RECOVERY_STAR_AREAS};
pub use talking_therapies::*;

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

#[cfg(test)]
mod tests;
