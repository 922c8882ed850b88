//! The estimates: per-person aggregates summed, the point figures, and the bootstrap.

use super::*;

pub(super) fn add(values: &mut [f64], at: usize, amount: f64) {
    if let Some(cell) = values.get_mut(at) {
        *cell += amount;
    }
}

pub(super) fn ratio(units: f64, person_months: f64) -> Option<f64> {
    (person_months > 0.0).then(|| units / person_months)
}

/// (pre rate − post rate) × post person-months; 0 when the group has no time.
pub(super) fn avoided(pre_units: f64, pre_pm: f64, post_units: f64, post_pm: f64) -> f64 {
    if pre_pm > 0.0 && post_pm > 0.0 {
        pre_units * post_pm / pre_pm - post_units
    } else {
        0.0
    }
}

// ---------------------------------------------------------------------------------------
// The statistic, as a function of per-group sums (shared by the estimate and the bootstrap)
// ---------------------------------------------------------------------------------------

/// Row layout (length `stride`): [pre person-months, post person-months, pre units by type,
/// post units by type].
pub(super) struct Model {
    pub(super) k_types: usize,
    pub(super) stride: usize,
    pub(super) prices: Vec<Option<f64>>,
    pub(super) service_rates: Vec<Option<f64>>,
    pub(super) factor: f64,
    pub(super) has_comparison: bool,
}

#[derive(Clone)]
pub(super) struct Sums {
    /// One row per service pathway.
    pub(super) service: Vec<f64>,
    pub(super) comparison: Vec<f64>,
}

impl Sums {
    pub(super) fn new(model: &Model, n_pathways: usize) -> Sums {
        Sums {
            service: vec![0.0; n_pathways * model.stride],
            comparison: vec![0.0; model.stride],
        }
    }

    /// The sums over the service cohort's people that `keep` accepts, in slot order, and the
    /// whole comparison cohort.
    pub(super) fn of(
        model: &Model,
        n_pathways: usize,
        rows: &[f64],
        slots: &[Slot],
        people: &PeopleByCohort,
        keep: impl Fn(u32) -> bool,
    ) -> Sums {
        let mut sums = Sums::new(model, n_pathways);
        for idx in people.service.iter().copied().filter(|idx| keep(*idx)) {
            sums.add_service(model, rows, slots, idx);
        }
        for idx in &people.comparison {
            sums.add_comparison(model, rows, *idx);
        }
        sums
    }

    pub(super) fn add_service(&mut self, model: &Model, rows: &[f64], slots: &[Slot], idx: u32) {
        let idx = idx as usize;
        let Some(slot) = slots.get(idx) else { return };
        let from = idx * model.stride;
        let at = slot.pathway * model.stride;
        if let (Some(src), Some(dst)) = (
            rows.get(from..from + model.stride),
            self.service.get_mut(at..at + model.stride),
        ) {
            for (d, s) in dst.iter_mut().zip(src) {
                *d += s;
            }
        }
    }

    pub(super) fn add_comparison(&mut self, model: &Model, rows: &[f64], idx: u32) {
        let from = idx as usize * model.stride;
        if let Some(src) = rows.get(from..from + model.stride) {
            for (d, s) in self.comparison.iter_mut().zip(src) {
                *d += s;
            }
        }
    }

    pub(super) fn pathway_row(&self, model: &Model, k: usize) -> &[f64] {
        self.service
            .get(k * model.stride..(k + 1) * model.stride)
            .unwrap_or(&[])
    }

    pub(super) fn service_post_exposure(&self, model: &Model) -> f64 {
        self.service
            .chunks_exact(model.stride)
            .filter_map(|row| row.get(1))
            .sum()
    }

    /// Σ_k (P_kt / E_pre,k) × E_post,k: expected post units at each pathway's pre rate.
    pub(super) fn standardised_pre_units(&self, model: &Model, t: usize) -> f64 {
        self.service
            .chunks_exact(model.stride)
            .map(|row| {
                let e_pre = row.first().copied().unwrap_or(0.0);
                let e_post = row.get(1).copied().unwrap_or(0.0);
                let pre = row.get(2 + t).copied().unwrap_or(0.0);
                if e_pre > 0.0 {
                    pre * e_post / e_pre
                } else {
                    0.0
                }
            })
            .sum()
    }

    pub(super) fn service_use(&self, model: &Model, t: usize) -> CohortUse {
        let mut total = vec![0.0; model.stride];
        for row in self.service.chunks_exact(model.stride) {
            for (d, s) in total.iter_mut().zip(row) {
                *d += s;
            }
        }
        cohort_use(&total, model.k_types, t)
    }

    pub(super) fn comparison_use(&self, model: &Model, t: usize) -> CohortUse {
        cohort_use(&self.comparison, model.k_types, t)
    }
}

pub(super) fn cohort_use(row: &[f64], k_types: usize, t: usize) -> CohortUse {
    let e_pre = row.first().copied().unwrap_or(0.0);
    let e_post = row.get(1).copied().unwrap_or(0.0);
    let pre = row.get(2 + t).copied().unwrap_or(0.0);
    let post = row.get(2 + k_types + t).copied().unwrap_or(0.0);
    CohortUse {
        pre_units: pre,
        pre_person_months: e_pre,
        pre_rate: ratio(pre, e_pre),
        post_units: post,
        post_person_months: e_post,
        post_rate: ratio(post, e_post),
    }
}

pub(super) struct ValuePoint {
    pub(super) gross: f64,
    pub(super) adjusted: f64,
    pub(super) service_cost: Option<f64>,
    pub(super) net: Option<f64>,
    pub(super) roi: Option<f64>,
}

impl ValuePoint {
    pub(super) fn new(gross: f64, service_cost: Option<f64>, factor: f64) -> ValuePoint {
        let adjusted = gross * factor;
        ValuePoint {
            gross,
            adjusted,
            service_cost,
            net: service_cost.map(|cost| adjusted - cost),
            roi: service_cost
                .filter(|cost| *cost > 0.0)
                .map(|cost| adjusted / cost),
        }
    }

    pub(super) fn flatten(&self, out: &mut Vec<Option<f64>>) {
        out.extend([
            Some(self.gross),
            Some(self.adjusted),
            self.service_cost,
            self.net,
            self.roi,
        ]);
    }

    /// Reads this point's intervals in `flatten` order.
    pub(super) fn build(
        &self,
        cis: &mut impl Iterator<Item = Option<Interval<f64>>>,
    ) -> ValueSummary {
        let gross = cis.next().flatten();
        let adjusted = cis.next().flatten();
        let service_cost = cis.next().flatten();
        let net = cis.next().flatten();
        let roi = cis.next().flatten();
        ValueSummary {
            gross_avoided: money(self.gross, gross),
            adjusted_avoided: money(self.adjusted, adjusted),
            service_cost: self.service_cost.map(|v| money(v, service_cost)),
            net_value: self.net.map(|v| money(v, net)),
            return_per_pound_spent: self.roi.map(|v| estimate(v, roi)),
        }
    }
}

pub(super) struct TypePoint {
    pub(super) units: f64,
    pub(super) gross: Option<f64>,
}

impl TypePoint {
    pub(super) fn flatten(&self, out: &mut Vec<Option<f64>>) {
        out.extend([Some(self.units), self.gross]);
    }
}

pub(super) struct Point {
    pub(super) naive: ValuePoint,
    pub(super) types: Vec<TypePoint>,
    pub(super) pathways: Vec<ValuePoint>,
    pub(super) did: Option<(ValuePoint, Vec<TypePoint>)>,
}

impl Point {
    /// Every statistic with an interval, in the order the result is assembled.
    pub(super) fn flatten(&self, out: &mut Vec<Option<f64>>) {
        out.clear();
        self.naive.flatten(out);
        for t in &self.types {
            t.flatten(out);
        }
        for p in &self.pathways {
            p.flatten(out);
        }
        if let Some((value, types)) = &self.did {
            value.flatten(out);
            for t in types {
                t.flatten(out);
            }
        }
    }
}

impl Model {
    pub(super) fn priced_total(&self, units: impl Iterator<Item = f64>) -> f64 {
        units
            .zip(&self.prices)
            .filter_map(|(u, price)| price.map(|p| p * u))
            .sum()
    }

    pub(super) fn evaluate(&self, sums: &Sums) -> Point {
        let k = self.k_types;
        let mut type_units = vec![0.0; k];
        let mut pathways = Vec::with_capacity(self.service_rates.len());
        let mut e_post_total = 0.0;
        let mut service_cost_total = Some(0.0);
        for (row, rate) in sums
            .service
            .chunks_exact(self.stride)
            .zip(&self.service_rates)
        {
            let (pre_pm, post_pm) = match row {
                [pre, post, ..] => (*pre, *post),
                _ => (0.0, 0.0),
            };
            e_post_total += post_pm;
            let pre_units = row.get(2..2 + k).unwrap_or(&[]);
            let post_units = row.get(2 + k..2 + 2 * k).unwrap_or(&[]);
            let units: Vec<f64> = pre_units
                .iter()
                .zip(post_units)
                .map(|(pre, post)| avoided(*pre, pre_pm, *post, post_pm))
                .collect();
            for (total, u) in type_units.iter_mut().zip(&units) {
                *total += u;
            }
            let gross = self.priced_total(units.into_iter());
            let cost = rate.map(|r| r * post_pm);
            service_cost_total = service_cost_total.zip(cost).map(|(a, b)| a + b);
            pathways.push(ValuePoint::new(gross, cost, self.factor));
        }
        let types: Vec<TypePoint> = type_units
            .iter()
            .zip(&self.prices)
            .map(|(u, price)| TypePoint {
                units: *u,
                gross: price.map(|p| p * u),
            })
            .collect();
        let naive_gross = self.priced_total(type_units.iter().copied());
        let naive = ValuePoint::new(naive_gross, service_cost_total, self.factor);

        let did = self.has_comparison.then(|| {
            let c = &sums.comparison;
            let (pre_pm, post_pm) = match c.as_slice() {
                [pre, post, ..] => (*pre, *post),
                _ => (0.0, 0.0),
            };
            let did_units: Vec<f64> = type_units
                .iter()
                .enumerate()
                .map(|(t, naive_units)| {
                    let pre = c.get(2 + t).copied().unwrap_or(0.0);
                    let post = c.get(2 + k + t).copied().unwrap_or(0.0);
                    let fall = match (ratio(pre, pre_pm), ratio(post, post_pm)) {
                        (Some(before), Some(after)) => before - after,
                        _ => 0.0,
                    };
                    naive_units - fall * e_post_total
                })
                .collect();
            let gross = self.priced_total(did_units.iter().copied());
            let types = did_units
                .iter()
                .zip(&self.prices)
                .map(|(u, price)| TypePoint {
                    units: *u,
                    gross: price.map(|p| p * u),
                })
                .collect();
            (
                ValuePoint::new(gross, service_cost_total, self.factor),
                types,
            )
        });
        Point {
            naive,
            types,
            pathways,
            did,
        }
    }
}

/// Percentile intervals for every statistic in `Point::flatten` order; `None` where the
/// bootstrap is off or a resample left the statistic undefined.
///
/// Each resample draws n indices with replacement per cohort, counts how often each person
/// was drawn, and forms the groups' sums as count-weighted sums over column-major per-person
/// totals: the same sums as adding the drawn rows one by one, but over contiguous memory.
pub(super) fn bootstrap(
    model: &Model,
    rows: &[f64],
    slots: &[Slot],
    service_slots: &[u32],
    comparison_slots: &[u32],
    config: &ValueConfig,
    sums: &mut Sums,
) -> Vec<Option<Interval<f64>>> {
    let mut flat = Vec::new();
    model.evaluate(sums).flatten(&mut flat);
    let n_stats = flat.len();
    let resamples = config.bootstrap_resamples as usize;
    if resamples == 0 {
        return vec![None; n_stats];
    }
    let n_pathways = sums.service.len() / model.stride.max(1);
    let pathway_of = |idx: u32| slots.get(idx as usize).map_or(0, |s| s.pathway);
    let service = Columns::new(rows, model.stride, service_slots, pathway_of, n_pathways);
    let comparison = Columns::new(rows, model.stride, comparison_slots, |_| 0, 1);
    let mut columns: Vec<Vec<f64>> = vec![Vec::with_capacity(resamples); n_stats];
    let mut defined = vec![true; n_stats];
    let mut resampler = Resampler::new(config.seed);
    let mut service_weights = Weights::new(service.n_people);
    let mut comparison_weights = Weights::new(comparison.n_people);
    for _ in 0..resamples {
        service_weights.draw(&mut resampler);
        service.weighted_sums(&service_weights.weights, &mut sums.service);
        if model.has_comparison {
            comparison_weights.draw(&mut resampler);
            comparison.weighted_sums(&comparison_weights.weights, &mut sums.comparison);
        }
        model.evaluate(sums).flatten(&mut flat);
        for ((value, column), ok) in flat.iter().zip(&mut columns).zip(&mut defined) {
            match value {
                Some(v) if v.is_finite() => column.push(*v),
                _ => *ok = false,
            }
        }
    }
    columns
        .iter()
        .zip(&defined)
        .map(|(column, ok)| {
            ok.then(|| percentile_interval(column, CONFIDENCE))
                .flatten()
                .map(|ci| Interval {
                    lower: ci.lower,
                    upper: ci.upper,
                })
        })
        .collect()
}

/// How many times each person was drawn in one resample (whole numbers, exact in f32 up to
/// 2^24 people).
pub(super) struct Weights {
    pub(super) weights: Vec<f64>,
}

impl Weights {
    pub(super) fn new(n: usize) -> Weights {
        Weights {
            weights: vec![0.0; n],
        }
    }

    /// One bootstrap resample: n draws with replacement from 0..n.
    pub(super) fn draw(&mut self, resampler: &mut Resampler) {
        self.weights.fill(0.0);
        let n = self.weights.len() as u32;
        let weights = &mut self.weights;
        resampler.each_index(n, n, |i| {
            if let Some(weight) = weights.get_mut(i as usize) {
                *weight += 1.0;
            }
        });
    }
}

/// One cohort's per-person totals stored column by column, people grouped by pathway.
///
/// Stored as f32 to halve the memory each resample streams through: exposure as whole days
/// and units as the person's totals, both exact in f32 for whole numbers below 2^24 (a
/// fractional quantity may round in its 8th significant digit). Sums accumulate in f64.
pub(super) struct Columns {
    pub(super) n_people: usize,
    pub(super) stride: usize,
    /// Column j of the person at position i is at `j * n_people + i`.
    pub(super) values: Vec<f64>,
    /// Positions [from, to) of each group, in group index order.
    pub(super) groups: Vec<(usize, usize)>,
}

impl Columns {
    pub(super) fn new(
        rows: &[f64],
        stride: usize,
        members: &[u32],
        group_of: impl Fn(u32) -> usize,
        n_groups: usize,
    ) -> Columns {
        let mut ordered: Vec<u32> = members.to_vec();
        ordered.sort_by_key(|idx| group_of(*idx)); // stable: keeps people in data order
        let n_people = ordered.len();
        let mut values = vec![0.0; stride * n_people];
        for (position, idx) in ordered.iter().enumerate() {
            let from = *idx as usize * stride;
            let Some(row) = rows.get(from..from + stride) else {
                continue;
            };
            for (j, value) in row.iter().enumerate() {
                let stored = if j < 2 {
                    (value * DAYS_PER_MONTH).round() // person-months back to whole days
                } else {
                    *value
                };
                if let Some(cell) = values.get_mut(j * n_people + position) {
                    *cell = f64::from(stored as f32);
                }
            }
        }
        let groups = (0..n_groups)
            .map(|group| {
                let from = ordered.partition_point(|idx| group_of(*idx) < group);
                let to = ordered.partition_point(|idx| group_of(*idx) <= group);
                (from, to)
            })
            .collect();
        Columns {
            n_people,
            stride,
            values,
            groups,
        }
    }

    /// out[group × stride + j] = Σ over the group's people of weight × column j.
    pub(super) fn weighted_sums(&self, weights: &[f64], out: &mut [f64]) {
        let columns = self.values.chunks_exact(self.n_people.max(1));
        for (j, column) in columns.take(self.stride).enumerate() {
            for (g, (from, to)) in self.groups.iter().enumerate() {
                let (Some(values), Some(weights)) =
                    (column.get(*from..*to), weights.get(*from..*to))
                else {
                    continue;
                };
                let scale = if j < 2 { DAYS_PER_MONTH } else { 1.0 };
                if let Some(cell) = out.get_mut(g * self.stride + j) {
                    *cell = dot(values, weights) / scale;
                }
            }
        }
    }
}

/// Σ a_i b_i with four running sums, so the additions pipeline; a fixed order, so the result
/// is the same on every run and platform.
pub(super) fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut lanes = [0.0f64; 4];
    let (a4, b4) = (a.chunks_exact(4), b.chunks_exact(4));
    let (a_rest, b_rest) = (a4.remainder(), b4.remainder());
    for (x, y) in a4.zip(b4) {
        for ((lane, xi), yi) in lanes.iter_mut().zip(x).zip(y) {
            *lane += xi * yi;
        }
    }
    let tail: f64 = a_rest.iter().zip(b_rest).map(|(x, y)| x * y).sum();
    (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]) + tail
}

pub(super) fn estimate(value: f64, ci: Option<Interval<f64>>) -> Estimate<f64> {
    Estimate { value, ci95: ci }
}

pub(super) fn money(value: f64, ci: Option<Interval<f64>>) -> Estimate<Money> {
    Estimate {
        value: Money(value),
        ci95: ci.map(|ci| Interval {
            lower: Money(ci.lower),
            upper: Money(ci.upper),
        }),
    }
}
