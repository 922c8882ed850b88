//! `events.csv`: crisis contacts, admissions and bed days, appointments and the rest,
//! drawn as Poisson counts over stretches of constant rates.

use super::csv_out::*;
use super::parameters::*;
use super::people::*;
use super::random::*;
use super::tables::*;
use super::vocabulary::*;
use super::MEAN_EVENT_ROWS_PER_PERSON;
use crate::model::DAYS_PER_MONTH;
use chrono::Months;
use rand_chacha::ChaCha8Rng;

#[derive(Clone, Copy)]
pub(super) struct Event {
    pub(super) day: Day,
    pub(super) kind: usize,
    pub(super) quantity: i32,
    pub(super) severity: u8,
    /// Index + 1 into the kind's follow-up list; 0 for none.
    pub(super) follow_up: usize,
}

pub(super) fn follow_ups(kind: usize) -> &'static [&'static str] {
    match kind {
        CRISIS => &CRISIS_FOLLOW_UPS,
        INCIDENT => &INCIDENT_FOLLOW_UPS,
        SAFEGUARDING => &SAFEGUARDING_FOLLOW_UPS,
        _ => &[],
    }
}

/// Makes one event of `kind` on `day`, with its severity and follow-up when the kind has them.
pub(super) fn event(rng: &mut ChaCha8Rng, day: Day, kind: usize) -> Event {
    let severity = match kind {
        CRISIS => weighted(rng, &[50, 35, 15]) as u8 + 1,
        INCIDENT => weighted(rng, &[55, 33, 12]) as u8 + 1,
        _ => 0,
    };
    let p_follow_up = match kind {
        CRISIS => 0.4,
        INCIDENT => 0.5,
        SAFEGUARDING => 0.7,
        _ => 0.0,
    };
    let follow_up = if p_follow_up > 0.0 && chance(rng, p_follow_up) {
        index(rng, follow_ups(kind).len()) + 1
    } else {
        0
    };
    Event {
        day,
        kind,
        quantity: 1,
        severity,
        follow_up,
    }
}

/// A stretch of days `[from, to)` with constant monthly rates.
pub(super) struct Segment {
    pub(super) from: Day,
    pub(super) to: Day,
    pub(super) rates: [f64; 10],
    /// Multiplier on the acute kinds (everything but appointments).
    pub(super) acute_factor: f64,
    pub(super) length_of_stay: (i32, i32),
}

pub(super) fn draw_segment(
    rng: &mut ChaCha8Rng,
    segment: &Segment,
    obs_end: Day,
    out: &mut Vec<Event>,
) {
    if segment.to <= segment.from {
        return;
    }
    let months = f64::from(segment.to - segment.from) / DAYS_PER_MONTH;
    for kind in 0..EVENT_TYPES.len() {
        if kind == BED_DAY {
            continue;
        }
        let factor = if kind == MISSED || kind == ATTENDED {
            1.0
        } else {
            segment.acute_factor
        };
        let count = poisson(rng, segment.rates[kind] * factor * months);
        for _ in 0..count {
            let day = int(rng, segment.from, segment.to - 1);
            out.push(event(rng, day, kind));
            if kind == ADMISSION {
                let (lo, hi) = segment.length_of_stay;
                let stay = int(rng, lo, hi).min(obs_end - day).max(1);
                out.push(Event {
                    day,
                    kind: BED_DAY,
                    quantity: stay,
                    severity: 0,
                    follow_up: 0,
                });
            }
        }
    }
}

/// The stretches of a person's event window, from 12 months before start to the end of
/// observation, with the rates that apply in each.
pub(super) fn segments(p: &Person, reference: Day) -> Vec<Segment> {
    let window_start = date_of(p.start)
        .checked_sub_months(Months::new(12))
        .map_or(p.start - 365, day_of);
    let spike_from = p.start - PRE_SPIKE_DAYS;
    let mut out = vec![
        Segment {
            from: window_start,
            to: spike_from,
            rates: PRE_RATES,
            acute_factor: p.frailty * PRE_EARLY_FACTOR,
            length_of_stay: LOS_PRE,
        },
        Segment {
            from: spike_from,
            to: p.start,
            rates: PRE_RATES,
            acute_factor: p.frailty * PRE_SPIKE_FACTOR,
            length_of_stay: LOS_PRE,
        },
    ];
    let group = p.group();
    let post = POST_RATES[group];
    let los = if p.comparison {
        LOS_COMPARISON
    } else {
        LOS_SERVICE
    };
    let mut tail_from = p.obs_end;
    let mut tail = Vec::new();
    if p.roles.early_warning {
        tail_from = reference - 90;
        for block in 0..3 {
            let mut rates = post;
            rates[MISSED] = EW_MISSED[block];
            rates[ATTENDED] = EW_ATTENDED[block];
            let from = tail_from + 30 * block as i32;
            tail.push(Segment {
                from,
                to: from + 30,
                rates,
                acute_factor: p.frailty,
                length_of_stay: los,
            });
        }
    } else if p.dropped_out && p.end.is_some() {
        tail_from = (p.obs_end - 60).max(p.start);
        let mut rates = post;
        rates[MISSED] *= 3.0;
        rates[ATTENDED] *= 0.4;
        tail.push(Segment {
            from: tail_from,
            to: p.obs_end,
            rates,
            acute_factor: p.frailty,
            length_of_stay: los,
        });
    }
    out.push(Segment {
        from: p.start,
        to: tail_from,
        rates: post,
        acute_factor: p.frailty,
        length_of_stay: los,
    });
    out.extend(tail);
    out
}

pub(super) fn write_events(ctx: &Ctx, people: &[Person], tally: &mut Tally) -> String {
    let mut out = CsvOut::new(EVENTS_HEADER);
    out.text
        .reserve(people.len() * MEAN_EVENT_ROWS_PER_PERSON * 56);
    let mut events: Vec<Event> = Vec::new();
    for (idx, p) in people.iter().enumerate() {
        let rng = &mut ctx.stream(idx, Section::Events);
        events.clear();
        let parts = segments(p, ctx.reference);
        for segment in &parts {
            draw_segment(rng, segment, p.obs_end, &mut events);
        }
        if p.roles.early_warning_crisis {
            let day = int(rng, ctx.reference - 21, ctx.reference - 1);
            let mut crisis = event(rng, day, CRISIS);
            crisis.severity = int(rng, 2, 3) as u8;
            events.push(crisis);
        }
        events.sort_by_key(|e| (e.day, e.kind, e.severity, e.follow_up));
        // Two identical events on one day become one row with quantity 2, as case-management
        // systems record them; exact duplicate rows would be flagged by validation.
        events.dedup_by(|later, kept| {
            let same = (later.day, later.kind, later.severity, later.follow_up)
                == (kept.day, kept.kind, kept.severity, kept.follow_up);
            if same {
                kept.quantity += later.quantity;
            }
            same
        });

        let g = &mut tally.groups[p.group()];
        g.people += 1;
        g.pre_days += i64::from(p.start - parts[0].from);
        g.post_days += i64::from(p.obs_end - p.start);
        tally.event_rows += events.len();
        for e in &events {
            let pre = e.day < p.start;
            match (e.kind, pre) {
                (CRISIS, true) => g.crisis_pre += e.quantity as u32,
                (CRISIS, false) => g.crisis_post += e.quantity as u32,
                (ADMISSION, true) => g.admissions_pre += e.quantity as u32,
                (ADMISSION, false) => g.admissions_post += e.quantity as u32,
                (BED_DAY, true) => g.bed_days_pre += i64::from(e.quantity),
                (BED_DAY, false) => g.bed_days_post += i64::from(e.quantity),
                _ => {}
            }
            out.text(&p.id)
                .date(e.day)
                .text(EVENT_TYPES[e.kind])
                .int(i64::from(e.quantity));
            if e.severity > 0 {
                out.int(i64::from(e.severity));
            } else {
                out.text("");
            }
            out.text(if e.follow_up > 0 {
                follow_ups(e.kind)[e.follow_up - 1]
            } else {
                ""
            });
            out.end();
        }
    }
    out.text
}
