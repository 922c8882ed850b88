//! Who is analysed, and their events bucketed by person, event type and window in one pass.

use super::*;

/// Whether the person in slot `idx` has any counted event in either window.
pub(super) fn has_counted_events(rows: &[f64], idx: usize, k_types: usize) -> bool {
    let stride = 2 + 2 * k_types;
    rows.get(idx * stride + 2..(idx + 1) * stride)
        .is_some_and(|units| units.iter().any(|u| *u > 0.0))
}

/// Counts the analysed service-cohort people whose counted events suggest missing history:
/// none in either window, or some after start and none before.
pub(super) fn count_event_patterns(
    counts: &mut PeopleCounts,
    slots: &[Slot],
    rows: &[f64],
    k_types: usize,
) {
    let stride = 2 + 2 * k_types;
    for (slot, row) in slots.iter().zip(rows.chunks_exact(stride)) {
        if slot.cohort != Cohort::Service {
            continue;
        }
        let pre: f64 = row.iter().skip(2).take(k_types).sum();
        let post: f64 = row.iter().skip(2 + k_types).take(k_types).sum();
        match (pre > 0.0, post > 0.0) {
            (false, false) => counts.service_without_counted_events += 1,
            (false, true) => counts.service_with_post_events_only += 1,
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------------------
// People and the pass over events
// ---------------------------------------------------------------------------------------

/// The analysed people: their windows, in data order, with the pathways of the service cohort.
pub(super) struct Cohorts {
    pub(super) counts: PeopleCounts,
    pub(super) slot_of: FxHashMap<PersonKey, u32>,
    /// Everyone in the people table, analysed or not.
    pub(super) seen: FxHashSet<PersonKey>,
    pub(super) slots: Vec<Slot>,
    /// start + m months for m = 0..=post_months, per slot, at `Slot::months_at`.
    pub(super) boundaries: Vec<i32>,
    pub(super) pathway_labels: Vec<Label>,
}

pub(super) fn analysed_people(
    data: &Dataset,
    config: &ValueConfig,
    history_day: i32,
    reference_day: i32,
) -> Cohorts {
    let mut counts = PeopleCounts::default();
    let mut slot_of: FxHashMap<PersonKey, u32> = FxHashMap::default();
    let mut seen: FxHashSet<PersonKey> = FxHashSet::default();
    let mut slots: Vec<Slot> = Vec::new();
    let mut boundaries: Vec<i32> = Vec::new();
    let mut pathway_index: FxHashMap<Label, usize> = FxHashMap::default();
    let mut pathway_labels: Vec<Label> = Vec::new();
    let people = &data.people;
    for (row, person) in people.person.iter().enumerate() {
        if !seen.insert(*person) {
            continue; // ingestion rejects duplicate people; keep the first row regardless
        }
        let (Some(start), Some(pathway), Some(cohort)) = (
            people.start_date.get(row),
            people.pathway.get(row),
            people.cohort.get(row),
        ) else {
            continue;
        };
        let end = people.end_date.get(row).copied().flatten();
        let Some(window) = person_window(*start, end, config, history_day, reference_day) else {
            counts.excluded_no_post_time += 1;
            continue;
        };
        if window.pre_lo >= window.start || window.pre_lo > window.min_pre_lo {
            counts.excluded_no_pre_history += 1;
            continue;
        }
        if window.clipped {
            counts.pre_window_clipped += 1;
        }
        let pathway_idx = match cohort {
            Cohort::Service => *pathway_index.entry(*pathway).or_insert_with(|| {
                pathway_labels.push(*pathway);
                pathway_labels.len() - 1
            }),
            Cohort::Comparison => 0,
        };
        let offset = boundaries.len();
        boundaries.extend_from_slice(&window.months);
        slot_of.insert(*person, slots.len() as u32);
        slots.push(Slot {
            cohort: *cohort,
            pathway: pathway_idx,
            start: window.start,
            pre_lo: window.pre_lo,
            recent_lo: window.recent_lo,
            post_hi: window.post_hi,
            months_at: offset,
        });
        match cohort {
            Cohort::Service => counts.service_analysed += 1,
            Cohort::Comparison => counts.comparison_analysed += 1,
        }
    }
    Cohorts {
        counts,
        slot_of,
        seen,
        slots,
        boundaries,
        pathway_labels,
    }
}

/// Per-person totals and the service cohort's month and regression-to-the-mean tallies.
pub(super) struct Buckets {
    /// Per slot, `stride` values: [pre person-months, post person-months, pre units by type,
    /// post units by type].
    pub(super) rows: Vec<f64>,
    /// Service person-months by (pathway, month since start).
    pub(super) month_exposure: Vec<f64>,
    /// Service post units by (pathway, month since start, type).
    pub(super) month_units: Vec<f64>,
    pub(super) recent_units: Vec<f64>,
    pub(super) earlier_units: Vec<f64>,
    pub(super) recent_exposure: f64,
    pub(super) earlier_exposure: f64,
}

/// Exposure per person, then the one pass over the events.
pub(super) fn bucket_events(
    data: &Dataset,
    config: &ValueConfig,
    tracked: &[TrackedType],
    cohorts: &mut Cohorts,
) -> Buckets {
    let k_types = tracked.len();
    let stride = 2 + 2 * k_types;
    let n_pathways = cohorts.pathway_labels.len();
    let n_months = config.post_months as usize;
    let month_stride = n_months + 1;
    let (slots, boundaries) = (&cohorts.slots, &cohorts.boundaries);
    let (slot_of, seen, counts) = (&cohorts.slot_of, &cohorts.seen, &mut cohorts.counts);
    let mut rows = vec![0.0f64; slots.len() * stride];
    let mut month_exposure = vec![0.0f64; n_pathways * n_months];
    let (mut recent_exposure, mut earlier_exposure) = (0.0f64, 0.0f64);
    for (slot, row) in slots.iter().zip(rows.chunks_exact_mut(stride)) {
        if let [pre, post, ..] = row {
            *pre = f64::from(slot.start - slot.pre_lo) / DAYS_PER_MONTH;
            *post = f64::from(slot.post_hi - slot.start) / DAYS_PER_MONTH;
        }
        if slot.cohort != Cohort::Service {
            continue;
        }
        let recent_from = slot.recent_lo.max(slot.pre_lo);
        recent_exposure += f64::from(slot.start - recent_from) / DAYS_PER_MONTH;
        earlier_exposure += f64::from((recent_from - slot.pre_lo).max(0)) / DAYS_PER_MONTH;
        let bounds = boundaries
            .get(slot.months_at..slot.months_at + month_stride)
            .unwrap_or(&[]);
        let exposure = month_exposure
            .get_mut(slot.pathway * n_months..(slot.pathway + 1) * n_months)
            .unwrap_or(&mut []);
        for (pair, cell) in bounds.windows(2).zip(exposure.iter_mut()) {
            if let [from, to] = pair {
                let days = ((*to).min(slot.post_hi) - (*from).max(slot.start)).max(0);
                *cell += f64::from(days) / DAYS_PER_MONTH;
            }
        }
    }

    // --- The one pass over events.
    let mut month_units = vec![0.0f64; n_pathways * n_months * k_types];
    let mut recent_units = vec![0.0f64; k_types];
    let mut earlier_units = vec![0.0f64; k_types];
    let mut type_of: FxHashMap<Label, Option<usize>> = FxHashMap::default();
    let mut last_person: Option<(PersonKey, Option<u32>, bool)> = None;
    let mut last_type: Option<(Label, Option<usize>)> = None;
    let events = &data.events;
    for (((person, date), event_type), quantity) in events
        .person
        .iter()
        .zip(&events.date)
        .zip(&events.event_type)
        .zip(&events.quantity)
    {
        let (slot_idx, known) = match last_person {
            Some((key, slot, known)) if key == *person => (slot, known),
            _ => {
                let found = slot_of.get(person).copied();
                let known = found.is_some() || seen.contains(person);
                last_person = Some((*person, found, known));
                (found, known)
            }
        };
        if !known {
            counts.events_without_person += 1;
        }
        let Some(slot_idx) = slot_idx else { continue };
        let type_idx = match last_type {
            Some((label, idx)) if label == *event_type => idx,
            _ => {
                let idx = *type_of.entry(*event_type).or_insert_with(|| {
                    let key = normalise_header(data.text.text(*event_type));
                    tracked.iter().position(|t| t.key == key)
                });
                last_type = Some((*event_type, idx));
                idx
            }
        };
        let Some(type_idx) = type_idx else { continue };
        let units = f64::from(*quantity);
        if !(units.is_finite() && units >= 0.0) {
            counts.events_bad_quantity += 1;
            continue;
        }
        let Some(slot) = slots.get(slot_idx as usize) else {
            continue;
        };
        let day = date.num_days_from_ce();
        let base = slot_idx as usize * stride;
        if day < slot.start {
            if day < slot.pre_lo {
                continue;
            }
            add(&mut rows, base + 2 + type_idx, units);
            if slot.cohort == Cohort::Service {
                let bucket = if day >= slot.recent_lo {
                    &mut recent_units
                } else {
                    &mut earlier_units
                };
                add(bucket, type_idx, units);
            }
        } else if day < slot.post_hi {
            add(&mut rows, base + 2 + k_types + type_idx, units);
            if slot.cohort == Cohort::Service {
                let bounds = boundaries
                    .get(slot.months_at + 1..slot.months_at + month_stride)
                    .unwrap_or(&[]);
                let month = bounds.iter().position(|b| day < *b).unwrap_or(0);
                let at = (slot.pathway * n_months + month) * k_types + type_idx;
                add(&mut month_units, at, units);
            }
        }
    }

    Buckets {
        rows,
        month_exposure,
        month_units,
        recent_units,
        earlier_units,
        recent_exposure,
        earlier_exposure,
    }
}

// ---------------------------------------------------------------------------------------
// People's windows
// ---------------------------------------------------------------------------------------

pub(super) struct Slot {
    pub(super) cohort: Cohort,
    pub(super) pathway: usize,
    pub(super) start: i32,
    pub(super) pre_lo: i32,
    pub(super) recent_lo: i32,
    pub(super) post_hi: i32,
    pub(super) months_at: usize,
}

pub(super) struct Window {
    pub(super) start: i32,
    /// First day of the pre window after clipping to history_start.
    pub(super) pre_lo: i32,
    pub(super) clipped: bool,
    /// The latest first day of a usable pre window: start − `min_pre_months`.
    pub(super) min_pre_lo: i32,
    pub(super) recent_lo: i32,
    /// First day after the post exposure.
    pub(super) post_hi: i32,
    /// start + m calendar months for m = 0..=post_months (day numbers).
    pub(super) months: Vec<i32>,
}

/// The person's windows as day numbers; `None` when there is no post-start time.
pub(super) fn person_window(
    start: NaiveDate,
    end: Option<NaiveDate>,
    config: &ValueConfig,
    history_day: i32,
    reference_day: i32,
) -> Option<Window> {
    let start_day = start.num_days_from_ce();
    let pre_lo_raw = start
        .checked_sub_months(Months::new(config.pre_months))?
        .num_days_from_ce();
    let recent_lo = start
        .checked_sub_months(Months::new(RTM_RECENT_MONTHS))?
        .num_days_from_ce();
    let min_pre_lo = start
        .checked_sub_months(Months::new(config.min_pre_months))?
        .num_days_from_ce();
    let months: Vec<i32> = (0..=config.post_months)
        .map(|m| {
            start
                .checked_add_months(Months::new(m))
                .map(|d| d.num_days_from_ce())
        })
        .collect::<Option<Vec<i32>>>()?;
    let window_end = *months.last()?;
    let mut post_hi = window_end.min(reference_day.saturating_add(1));
    if let Some(end) = end {
        post_hi = post_hi.min(end.num_days_from_ce().saturating_add(1));
    }
    if post_hi <= start_day {
        return None;
    }
    let pre_lo = pre_lo_raw.max(history_day);
    Some(Window {
        start: start_day,
        pre_lo: pre_lo.min(start_day),
        clipped: pre_lo_raw < history_day,
        min_pre_lo,
        recent_lo,
        post_hi,
        months,
    })
}
