//! What the analysis needs to know about each label used as an event type or a status: worked
//! out once per distinct label actually used in those columns, not per row and not for the
//! free text sharing the pool (a million event rows use a dozen event types).

use super::{AnalysisConfig, EventKind};
use crate::model::{Dataset, Label};

/// Which status indicator a label names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusIndicator {
    Housing,
    Engagement,
}

#[derive(Clone, Debug, Default)]
pub struct Vocabulary {
    event_kind: Vec<Option<EventKind>>,
    indicator: Vec<Option<StatusIndicator>>,
    /// Status values that count as settled housing or as engaged.
    positive: Vec<bool>,
}

impl Vocabulary {
    pub fn build(data: &Dataset, config: &AnalysisConfig) -> Vocabulary {
        let n = data.text.len();
        let mut vocab = Vocabulary {
            event_kind: vec![None; n],
            indicator: vec![None; n],
            positive: vec![false; n],
        };
        let mut done = vec![false; n];
        for label in &data.events.event_type {
            let at = label.position();
            if let Some(false) = done.get(at).copied() {
                done[at] = true;
                vocab.event_kind[at] = config.event_kinds.classify(data.text.text(*label));
            }
        }
        let fold = |text: &str| text.trim().to_lowercase();
        let settled: Vec<String> = config.settled_housing.iter().map(|v| fold(v)).collect();
        let engaged: Vec<String> = config.engaged.iter().map(|v| fold(v)).collect();
        for (indicator, value) in data.status.indicator.iter().zip(&data.status.value) {
            let kind = match fold(data.text.text(*indicator)).as_str() {
                "housing" => Some(StatusIndicator::Housing),
                "engagement" => Some(StatusIndicator::Engagement),
                _ => None,
            };
            if let Some(slot) = vocab.indicator.get_mut(indicator.position()) {
                *slot = kind;
            }
            let value_text = fold(data.text.text(*value));
            let positive = match kind {
                Some(StatusIndicator::Housing) => settled.contains(&value_text),
                Some(StatusIndicator::Engagement) => engaged.contains(&value_text),
                None => false,
            };
            if positive {
                if let Some(slot) = vocab.positive.get_mut(value.position()) {
                    *slot = true;
                }
            }
        }
        vocab
    }

    pub fn event_kind(&self, label: Label) -> Option<EventKind> {
        self.event_kind.get(label.position()).copied().flatten()
    }

    pub fn status_indicator(&self, label: Label) -> Option<StatusIndicator> {
        self.indicator.get(label.position()).copied().flatten()
    }

    /// Whether a status value counts as settled housing / engaged.
    pub fn is_positive_status(&self, label: Label) -> bool {
        self.positive
            .get(label.position())
            .copied()
            .unwrap_or(false)
    }
}
