//! Numbers with narrative: what people say, set beside what the data show.
//!
//! Rules (also in docs/methods.md, "Numbers with narrative"):
//! - **Anchoring**: each feedback entry is shown with the person's nearest outcome score on each
//!   measure (within [`ANCHOR_DAYS`] either side) and the crisis contacts in the
//!   [`ANCHOR_DAYS`] before it.
//! - **Own voice**: the person's and carers' feedback (not staff's, nor feedback with no
//!   source recorded). The person's own ratings come first: it is *poor* when the median
//!   self-rating (0-10) is 4 or less, or when at least half the entries say functioning is
//!   worse and the ratings do not say otherwise (no self-rating, or a median between 4 and 7);
//!   it is *good* when the median self-rating is 7 or more and fewer than a quarter say worse.
//!   So someone who rates themselves 7 or more is never called poor: a median of 8 or 9 with
//!   "worse" entries is mixed and not listed. Likewise the first feedback that disagrees
//!   with improving numbers is one rated 4 or less, or one saying "worse" that is not itself
//!   rated 7 or more. The thresholds are Waymark's screening rule (the lower and upper third
//!   of the 0-10 scale), not a published cut-off; see docs/methods.md.
//! - **Numbers**: *improving* when at least one measure's direction of travel is improving and
//!   none is deteriorating; *not improving* when no measure is improving (at least one paired).
//! - **Discordant** cases: numbers improving but own voice poor; **reverse discordant**: numbers
//!   not improving but own voice good. Both are listed as cases to reconcile, with both sides.
//! - A case is **reconciled** when a plan adjustment is recorded in a feedback entry on or after
//!   the first feedback that disagrees with the numbers.
//! - **Themes** are counted per feedback entry (an entry naming a theme twice counts once), by
//!   pathway and by calendar quarter.

use super::outcomes::{OutcomesAnalysis, TravelLabel};
use super::{EventKind, PersonIndex};
use crate::model::{Dataset, FeedbackSource, FunctioningChange, Label};
use crate::stats::median;
use chrono::{Datelike, NaiveDate};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// How far from a feedback entry a score or crisis still counts as "around the same time".
pub const ANCHOR_DAYS: i64 = 45;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NearestScore {
    pub measure: String,
    pub date: NaiveDate,
    pub score: f64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AnchoredFeedback {
    pub person: usize,
    pub row: usize,
    pub date: NaiveDate,
    pub nearest_scores: Vec<NearestScore>,
    pub crises_before: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Discordance {
    /// The numbers improve while the person says things are poor.
    NumbersBetterVoiceWorse,
    /// The numbers do not improve while the person says things are good.
    NumbersFlatVoiceBetter,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DiscordantCase {
    pub person: usize,
    pub kind: Discordance,
    /// The numbers' side: each measure's direction-of-travel label.
    pub labels: Vec<(String, TravelLabel)>,
    /// The voice's side.
    pub median_self_rating: Option<f64>,
    pub worse_share: Option<f64>,
    pub themes: Vec<String>,
    pub first_disagreeing_feedback: NaiveDate,
    pub reconciled: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ThemeCount {
    pub theme: String,
    /// Pathway name, or a quarter such as "2026 Q1", or "all".
    pub group: String,
    pub entries: u64,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct NarrativeAnalysis {
    pub feedback_entries: u64,
    pub people_with_own_feedback: u64,
    pub anchored: Vec<AnchoredFeedback>,
    pub cases: Vec<DiscordantCase>,
    pub numbers_better_voice_worse: u64,
    pub numbers_flat_voice_better: u64,
    pub reconciled: u64,
    pub not_reconciled: u64,
    /// Most common themes overall, then by pathway and by quarter.
    pub themes: Vec<ThemeCount>,
    pub themes_by_pathway: Vec<ThemeCount>,
    pub themes_by_quarter: Vec<ThemeCount>,
}

/// The person's own view, or a carer's: feedback with no source recorded is nobody's voice.
fn is_own_voice(source: Option<FeedbackSource>) -> bool {
    matches!(source, Some(FeedbackSource::Person | FeedbackSource::Carer))
}

fn quarter(date: NaiveDate) -> String {
    format!("{} Q{}", date.year(), date.month0() / 3 + 1)
}

/// A self-rating at or below this (0-10) is poor; at or above [`GOOD_RATING`] it is good.
pub const POOR_RATING: f64 = 4.0;
/// A self-rating at or above this (0-10) is good.
pub const GOOD_RATING: f64 = 7.0;

/// Whether a person's own voice says things are poor: a median self-rating of
/// [`POOR_RATING`] or less, or at least half the entries saying functioning is worse when the
/// ratings do not say otherwise (no rating, or a median below [`GOOD_RATING`]). The ratings
/// are the person's own numbers, so a median of 7 or more is never "poor".
pub fn voice_is_poor(median_rating: Option<f64>, worse_share: f64) -> bool {
    match median_rating {
        Some(m) if m <= POOR_RATING => true,
        Some(m) if m >= GOOD_RATING => false,
        _ => worse_share >= 0.5,
    }
}

/// Whether one own-voice entry says things are poor, by the same rule: rated
/// [`POOR_RATING`] or less, or saying "worse" without being rated [`GOOD_RATING`] or more.
fn entry_says_poor(rating: Option<f64>, says_worse: bool) -> bool {
    match rating {
        Some(r) if r <= POOR_RATING => true,
        Some(r) if r >= GOOD_RATING => false,
        _ => says_worse,
    }
}

pub fn analyse(
    data: &Dataset,
    index: &PersonIndex,
    outcomes: &OutcomesAnalysis,
) -> NarrativeAnalysis {
    let f = &data.feedback;
    let o = &data.outcomes;
    let vocab = &index.vocab;
    let mut out = NarrativeAnalysis::default();
    // Direction-of-travel labels per person.
    let mut labels: FxHashMap<usize, Vec<(String, TravelLabel)>> = FxHashMap::default();
    for result in &outcomes.people {
        labels
            .entry(result.person)
            .or_default()
            .push((result.measure.clone(), result.label));
    }
    let mut overall: FxHashMap<Label, u64> = FxHashMap::default();
    let mut by_pathway: FxHashMap<(Label, Label), u64> = FxHashMap::default();
    let mut by_quarter: FxHashMap<(Label, String), u64> = FxHashMap::default();

    for p in 0..index.len {
        let rows = index.feedback.of(p);
        if rows.is_empty() {
            continue;
        }
        let events = index.events.of(p);
        let scores = index.outcomes.of(p);
        let mut own_ratings = Vec::new();
        let (mut own_entries, mut worse) = (0u32, 0u32);
        let mut themes_seen: Vec<Label> = Vec::new();
        for &row in rows {
            let row = row as usize;
            let date = f.date[row];
            out.feedback_entries += 1;
            // Anchor to the nearest score per measure, and recent crises.
            let mut nearest: Vec<(Label, i64, usize)> = Vec::new();
            for &s in scores {
                let s = s as usize;
                let gap = (o.date[s] - date).num_days().abs();
                if gap > ANCHOR_DAYS {
                    continue;
                }
                match nearest.iter_mut().find(|(m, _, _)| *m == o.measure[s]) {
                    Some(entry) if gap < entry.1 => *entry = (o.measure[s], gap, s),
                    Some(_) => {}
                    None => nearest.push((o.measure[s], gap, s)),
                }
            }
            let crises_before: f64 = events
                .iter()
                .map(|e| *e as usize)
                .filter(|e| {
                    let gap = (date - data.events.date[*e]).num_days();
                    (0..=ANCHOR_DAYS).contains(&gap)
                        && vocab.event_kind(data.events.event_type[*e]) == Some(EventKind::Crisis)
                })
                .map(|e| f64::from(data.events.quantity[e]))
                .sum();
            out.anchored.push(AnchoredFeedback {
                person: p,
                row,
                date,
                nearest_scores: nearest
                    .iter()
                    .map(|(m, _, s)| NearestScore {
                        measure: data.text.text(*m).to_string(),
                        date: o.date[*s],
                        score: o.score[*s],
                    })
                    .collect(),
                crises_before,
            });
            // Themes, once per entry.
            let mut entry_themes: Vec<Label> = f.themes[row].clone();
            entry_themes.sort();
            entry_themes.dedup();
            for theme in &entry_themes {
                *overall.entry(*theme).or_default() += 1;
                *by_pathway
                    .entry((*theme, data.people.pathway[p]))
                    .or_default() += 1;
                *by_quarter.entry((*theme, quarter(date))).or_default() += 1;
                if !themes_seen.contains(theme) {
                    themes_seen.push(*theme);
                }
            }
            if is_own_voice(f.source[row]) {
                own_entries += 1;
                if let Some(r) = f.self_rating[row] {
                    own_ratings.push(r);
                }
                worse += u32::from(f.functioning_change[row] == Some(FunctioningChange::Worse));
            }
        }
        if own_entries == 0 {
            continue;
        }
        out.people_with_own_feedback += 1;
        let median_rating = median(&own_ratings);
        let worse_share = f64::from(worse) / f64::from(own_entries);
        let voice_poor = voice_is_poor(median_rating, worse_share);
        let voice_good = median_rating.is_some_and(|m| m >= GOOD_RATING) && worse_share < 0.25;
        let person_labels = labels.get(&p).cloned().unwrap_or_default();
        let paired = person_labels
            .iter()
            .any(|(_, l)| *l != TravelLabel::InsufficientData);
        let improving = person_labels
            .iter()
            .any(|(_, l)| *l == TravelLabel::Improving);
        let deteriorating = person_labels
            .iter()
            .any(|(_, l)| *l == TravelLabel::Deteriorating);
        let kind = if improving && !deteriorating && voice_poor {
            Discordance::NumbersBetterVoiceWorse
        } else if paired && !improving && voice_good {
            Discordance::NumbersFlatVoiceBetter
        } else {
            continue;
        };
        // The first own-voice entry that disagrees with the numbers.
        let disagrees = |row: usize| {
            is_own_voice(f.source[row])
                && match kind {
                    Discordance::NumbersBetterVoiceWorse => entry_says_poor(
                        f.self_rating[row],
                        f.functioning_change[row] == Some(FunctioningChange::Worse),
                    ),
                    Discordance::NumbersFlatVoiceBetter => {
                        f.self_rating[row].is_some_and(|r| r >= GOOD_RATING)
                    }
                }
        };
        let Some(first) = rows.iter().map(|r| *r as usize).find(|r| disagrees(*r)) else {
            continue;
        };
        let first_date = f.date[first];
        let reconciled = rows
            .iter()
            .map(|r| *r as usize)
            .any(|r| f.date[r] >= first_date && f.plan_adjustment[r].is_some());
        match kind {
            Discordance::NumbersBetterVoiceWorse => out.numbers_better_voice_worse += 1,
            Discordance::NumbersFlatVoiceBetter => out.numbers_flat_voice_better += 1,
        }
        if reconciled {
            out.reconciled += 1;
        } else {
            out.not_reconciled += 1;
        }
        out.cases.push(DiscordantCase {
            person: p,
            kind,
            labels: person_labels,
            median_self_rating: median_rating,
            worse_share: Some(worse_share),
            themes: themes_seen
                .iter()
                .map(|t| data.text.text(*t).to_string())
                .collect(),
            first_disagreeing_feedback: first_date,
            reconciled,
        });
    }
    let text = |label: Label| data.text.text(label).to_string();
    let sort = |list: &mut Vec<ThemeCount>| {
        list.sort_by(|a, b| {
            a.group
                .cmp(&b.group)
                .then(b.entries.cmp(&a.entries))
                .then(a.theme.cmp(&b.theme))
        })
    };
    out.themes = overall
        .into_iter()
        .map(|(theme, entries)| ThemeCount {
            theme: text(theme),
            group: "all".into(),
            entries,
        })
        .collect();
    sort(&mut out.themes);
    out.themes_by_pathway = by_pathway
        .into_iter()
        .map(|((theme, pathway), entries)| ThemeCount {
            theme: text(theme),
            group: text(pathway),
            entries,
        })
        .collect();
    sort(&mut out.themes_by_pathway);
    out.themes_by_quarter = by_quarter
        .into_iter()
        .map(|((theme, q), entries)| ThemeCount {
            theme: text(theme),
            group: q,
            entries,
        })
        .collect();
    sort(&mut out.themes_by_quarter);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_ratings_decide_before_functioning() {
        // Ratings 8 and 9: median 8.5 (worked by hand), two of two entries say worse
        // (share 1.0). The old rule (median <= 4 OR share >= 0.5) called this poor; the
        // person's own numbers say good, so it is not poor.
        assert!(!voice_is_poor(Some(8.5), 1.0));
        assert!(!voice_is_poor(Some(7.0), 0.5));
        // A median of 4 is poor whatever the entries say.
        assert!(voice_is_poor(Some(4.0), 0.0));
        // No rating, or a middling one: functioning decides (half or more say worse).
        assert!(voice_is_poor(None, 0.5));
        assert!(voice_is_poor(Some(5.5), 0.5));
        assert!(!voice_is_poor(Some(5.5), 0.49));
        assert!(!voice_is_poor(None, 0.0));
    }

    #[test]
    fn an_entry_rated_well_does_not_disagree_with_improving_numbers() {
        assert!(!entry_says_poor(Some(9.0), true));
        assert!(entry_says_poor(Some(3.0), false));
        assert!(entry_says_poor(None, true));
        assert!(entry_says_poor(Some(6.0), true));
        assert!(!entry_says_poor(Some(6.0), false));
    }
}
