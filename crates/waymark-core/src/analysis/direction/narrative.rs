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
use crate::analysis::{EventKind, PersonIndex};
use crate::model::{Dataset, FeedbackSource, FeedbackTable, FunctioningChange, Label};
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

impl NarrativeAnalysis {
    /// Adds another partition's results (ARCHITECTURE.md, "Partitions of people"): counts add;
    /// theme counts are matched by theme and group and sorted again; `other`'s anchored
    /// feedback and discordant cases are appended, their people numbered from `person_offset`
    /// and their feedback rows from `feedback_row_offset` (the rows the partition's people and
    /// feedback start at when the partitions' tables are put one after the other). Every field
    /// is named, so a field added and not merged is a compile error.
    pub fn add(
        &mut self,
        other: &NarrativeAnalysis,
        person_offset: usize,
        feedback_row_offset: usize,
    ) {
        let NarrativeAnalysis {
            feedback_entries,
            people_with_own_feedback,
            anchored,
            cases,
            numbers_better_voice_worse,
            numbers_flat_voice_better,
            reconciled,
            not_reconciled,
            themes,
            themes_by_pathway,
            themes_by_quarter,
        } = other;
        self.feedback_entries += feedback_entries;
        self.people_with_own_feedback += people_with_own_feedback;
        self.numbers_better_voice_worse += numbers_better_voice_worse;
        self.numbers_flat_voice_better += numbers_flat_voice_better;
        self.reconciled += reconciled;
        self.not_reconciled += not_reconciled;
        self.anchored
            .extend(anchored.iter().map(|entry| AnchoredFeedback {
                person: entry.person + person_offset,
                row: entry.row + feedback_row_offset,
                ..entry.clone()
            }));
        self.cases.extend(cases.iter().map(|case| DiscordantCase {
            person: case.person + person_offset,
            ..case.clone()
        }));
        for (mine, theirs) in [
            (&mut self.themes, themes),
            (&mut self.themes_by_pathway, themes_by_pathway),
            (&mut self.themes_by_quarter, themes_by_quarter),
        ] {
            crate::analysis::add_matching(
                mine,
                theirs,
                |a, b| a.theme == b.theme && a.group == b.group,
                |m, count| m.entries += count.entries,
            );
            mine.sort_by(theme_order);
        }
    }
}

/// The order of theme counts: by group, then most entries first, then theme: a total order, so
/// neither hash maps nor partitions show in it.
fn theme_order(a: &ThemeCount, b: &ThemeCount) -> std::cmp::Ordering {
    a.group
        .cmp(&b.group)
        .then(b.entries.cmp(&a.entries))
        .then(a.theme.cmp(&b.theme))
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

/// Anchors every feedback entry, counts themes, and lists the people whose numbers and own
/// voice disagree (see the module docs for the rules).
pub fn analyse(
    data: &Dataset,
    index: &PersonIndex,
    outcomes: &OutcomesAnalysis,
) -> NarrativeAnalysis {
    let labels = travel_labels_by_person(outcomes);
    let mut out = NarrativeAnalysis::default();
    let mut themes = ThemeTally::default();
    for p in 0..index.len {
        let rows = index.feedback.of(p);
        if rows.is_empty() {
            continue;
        }
        out.feedback_entries += rows.len() as u64;
        out.anchored.extend(
            rows.iter()
                .map(|&row| anchor_entry(data, index, p, row as usize)),
        );
        let themes_seen = themes.count_person(data, p, rows);
        let Some(voice) = own_voice(&data.feedback, rows) else {
            continue;
        };
        out.people_with_own_feedback += 1;
        let person_labels = labels.get(&p).cloned().unwrap_or_default();
        if let Some(case) = discordant_case(data, p, rows, &voice, person_labels, &themes_seen) {
            out.record(case);
        }
    }
    themes.name_and_sort(data, &mut out);
    out
}

/// Each person's direction-of-travel labels, one per measure scored.
fn travel_labels_by_person(
    outcomes: &OutcomesAnalysis,
) -> FxHashMap<usize, Vec<(String, TravelLabel)>> {
    let mut labels: FxHashMap<usize, Vec<(String, TravelLabel)>> = FxHashMap::default();
    for result in &outcomes.people {
        labels
            .entry(result.person)
            .or_default()
            .push((result.measure.clone(), result.label));
    }
    labels
}

/// One feedback entry with the person's nearest score on each measure and the crisis
/// contacts just before it, so a reader sees what the data showed when it was given.
fn anchor_entry(data: &Dataset, index: &PersonIndex, p: usize, row: usize) -> AnchoredFeedback {
    let date = data.feedback.date[row];
    AnchoredFeedback {
        person: p,
        row,
        date,
        nearest_scores: nearest_scores(data, index.outcomes.of(p), date),
        crises_before: crises_before(data, index, index.events.of(p), date),
    }
}

/// The score nearest `date` on each measure, within [`ANCHOR_DAYS`] either side; on a tie
/// the earlier row wins. Measures are listed in the order the person's scores first name them.
fn nearest_scores(data: &Dataset, scores: &[u32], date: NaiveDate) -> Vec<NearestScore> {
    let o = &data.outcomes;
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
    nearest
        .iter()
        .map(|(m, _, s)| NearestScore {
            measure: data.text.text(*m).to_string(),
            date: o.date[*s],
            score: o.score[*s],
        })
        .collect()
}

/// Crisis contacts (their quantities summed) on `date` or in the [`ANCHOR_DAYS`] before it.
fn crises_before(data: &Dataset, index: &PersonIndex, events: &[u32], date: NaiveDate) -> f64 {
    events
        .iter()
        .map(|e| *e as usize)
        .filter(|e| {
            let gap = (date - data.events.date[*e]).num_days();
            (0..=ANCHOR_DAYS).contains(&gap)
                && index.vocab.event_kind(data.events.event_type[*e]) == Some(EventKind::Crisis)
        })
        .map(|e| f64::from(data.events.quantity[e]))
        .sum()
}

/// Feedback entries per theme, overall, by pathway and by quarter, before the labels are
/// turned into text.
#[derive(Default)]
struct ThemeTally {
    overall: FxHashMap<Label, u64>,
    by_pathway: FxHashMap<(Label, Label), u64>,
    by_quarter: FxHashMap<(Label, String), u64>,
}

impl ThemeTally {
    /// Counts each of a person's entries once per theme it names (naming a theme twice
    /// counts once); returns the person's themes in the order they first came up.
    fn count_person(&mut self, data: &Dataset, p: usize, rows: &[u32]) -> Vec<Label> {
        let f = &data.feedback;
        let mut themes_seen: Vec<Label> = Vec::new();
        for &row in rows {
            let row = row as usize;
            let mut entry_themes: Vec<Label> = f.themes[row].clone();
            entry_themes.sort();
            entry_themes.dedup();
            for theme in &entry_themes {
                *self.overall.entry(*theme).or_default() += 1;
                *self
                    .by_pathway
                    .entry((*theme, data.people.pathway[p]))
                    .or_default() += 1;
                *self
                    .by_quarter
                    .entry((*theme, quarter(f.date[row])))
                    .or_default() += 1;
                if !themes_seen.contains(theme) {
                    themes_seen.push(*theme);
                }
            }
        }
        themes_seen
    }

    /// Writes the counts into `out` as text, each list sorted by group, then most entries
    /// first, then theme: a total order, so the hash maps' order never shows.
    fn name_and_sort(self, data: &Dataset, out: &mut NarrativeAnalysis) {
        let text = |label: Label| data.text.text(label).to_string();
        let sort = |list: &mut Vec<ThemeCount>| list.sort_by(theme_order);
        out.themes = self
            .overall
            .into_iter()
            .map(|(theme, entries)| ThemeCount {
                theme: text(theme),
                group: "all".into(),
                entries,
            })
            .collect();
        sort(&mut out.themes);
        out.themes_by_pathway = self
            .by_pathway
            .into_iter()
            .map(|((theme, pathway), entries)| ThemeCount {
                theme: text(theme),
                group: text(pathway),
                entries,
            })
            .collect();
        sort(&mut out.themes_by_pathway);
        out.themes_by_quarter = self
            .by_quarter
            .into_iter()
            .map(|((theme, q), entries)| ThemeCount {
                theme: text(theme),
                group: q,
                entries,
            })
            .collect();
        sort(&mut out.themes_by_quarter);
    }
}

/// What a person's own voice (and their carers') says over all their feedback.
struct OwnVoice {
    median_rating: Option<f64>,
    /// Share of own-voice entries saying functioning is worse.
    worse_share: f64,
}

/// The person's own voice, or `None` when all their feedback is staff's or unsourced.
fn own_voice(f: &FeedbackTable, rows: &[u32]) -> Option<OwnVoice> {
    let mut own_ratings = Vec::new();
    let (mut own_entries, mut worse) = (0u32, 0u32);
    for &row in rows {
        let row = row as usize;
        if is_own_voice(f.source[row]) {
            own_entries += 1;
            if let Some(r) = f.self_rating[row] {
                own_ratings.push(r);
            }
            worse += u32::from(f.functioning_change[row] == Some(FunctioningChange::Worse));
        }
    }
    if own_entries == 0 {
        return None;
    }
    Some(OwnVoice {
        median_rating: median(&own_ratings),
        worse_share: f64::from(worse) / f64::from(own_entries),
    })
}

/// Which way, if any, the numbers and the voice disagree.
fn discordance(voice: &OwnVoice, labels: &[(String, TravelLabel)]) -> Option<Discordance> {
    let voice_poor = voice_is_poor(voice.median_rating, voice.worse_share);
    let voice_good =
        voice.median_rating.is_some_and(|m| m >= GOOD_RATING) && voice.worse_share < 0.25;
    let paired = labels
        .iter()
        .any(|(_, l)| *l != TravelLabel::InsufficientData);
    let improving = labels.iter().any(|(_, l)| *l == TravelLabel::Improving);
    let deteriorating = labels.iter().any(|(_, l)| *l == TravelLabel::Deteriorating);
    if improving && !deteriorating && voice_poor {
        Some(Discordance::NumbersBetterVoiceWorse)
    } else if paired && !improving && voice_good {
        Some(Discordance::NumbersFlatVoiceBetter)
    } else {
        None
    }
}

/// A case to reconcile, when the numbers and the voice disagree and an own-voice entry
/// says so; reconciled when a plan adjustment is recorded on or after that entry.
fn discordant_case(
    data: &Dataset,
    p: usize,
    rows: &[u32],
    voice: &OwnVoice,
    labels: Vec<(String, TravelLabel)>,
    themes_seen: &[Label],
) -> Option<DiscordantCase> {
    let f = &data.feedback;
    let kind = discordance(voice, &labels)?;
    let first = first_disagreeing_entry(f, rows, kind)?;
    let first_date = f.date[first];
    let reconciled = rows
        .iter()
        .map(|r| *r as usize)
        .any(|r| f.date[r] >= first_date && f.plan_adjustment[r].is_some());
    Some(DiscordantCase {
        person: p,
        kind,
        labels,
        median_self_rating: voice.median_rating,
        worse_share: Some(voice.worse_share),
        themes: themes_seen
            .iter()
            .map(|t| data.text.text(*t).to_string())
            .collect(),
        first_disagreeing_feedback: first_date,
        reconciled,
    })
}

/// The row of the first own-voice entry that disagrees with the numbers.
fn first_disagreeing_entry(f: &FeedbackTable, rows: &[u32], kind: Discordance) -> Option<usize> {
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
    rows.iter().map(|r| *r as usize).find(|r| disagrees(*r))
}

impl NarrativeAnalysis {
    /// Adds a case and counts it by kind and by whether it was reconciled.
    fn record(&mut self, case: DiscordantCase) {
        match case.kind {
            Discordance::NumbersBetterVoiceWorse => self.numbers_better_voice_worse += 1,
            Discordance::NumbersFlatVoiceBetter => self.numbers_flat_voice_better += 1,
        }
        if case.reconciled {
            self.reconciled += 1;
        } else {
            self.not_reconciled += 1;
        }
        self.cases.push(case);
    }
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
