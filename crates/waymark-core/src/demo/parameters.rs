//! The model's parameters: event rates, lengths of stay, recovery and the planted roles'
//! shares. The planted effects live here; [`super::planted`] quotes them.

/// Share of people in the comparison (usual care) cohort, percent.
pub(super) const COMPARISON_PCT: u32 = 15;

/// Event rates per person-month, in [`EVENT_TYPES`] order; `bed_day` is unused (it follows
/// each admission). For the "acute" kinds (all but appointments) these are population
/// averages: each person's rate is multiplied by their own [`Person::frailty`] (mean 1).
pub(super) const PRE_RATES: [f64; 10] = [0.60, 0.35, 0.080, 0.0, 0.40, 1.0, 0.15, 0.20, 0.05, 0.10];
/// After start_date, by group: Integrated, Standard, Step-down, comparison.
pub(super) const POST_RATES: [[f64; 10]; 4] = [
    [0.25, 0.15, 0.030, 0.0, 0.60, 4.3, 0.06, 0.08, 0.04, 0.05],
    [0.35, 0.20, 0.040, 0.0, 0.60, 3.5, 0.08, 0.11, 0.04, 0.06],
    [0.40, 0.22, 0.045, 0.0, 0.50, 2.5, 0.09, 0.12, 0.04, 0.07],
    [0.50, 0.30, 0.070, 0.0, 0.40, 1.2, 0.13, 0.17, 0.04, 0.09],
];
/// Acute-event multiplier from 12 to 3 months before start, and in the 3 months (91 days) before
/// start: the referral spike. They average 1 over the 12 months.
pub(super) const PRE_EARLY_FACTOR: f64 = 5.0 / 6.0;
pub(super) const PRE_SPIKE_FACTOR: f64 = 1.5;
pub(super) const PRE_SPIKE_DAYS: i32 = 91;
/// Length of stay (bed days per admission), uniform over these inclusive bounds:
/// before start (mean 14), after start in service (mean 10), comparison after start (mean 13).
pub(super) const LOS_PRE: (i32, i32) = (2, 26);
pub(super) const LOS_SERVICE: (i32, i32) = (2, 18);
pub(super) const LOS_COMPARISON: (i32, i32) = (2, 24);
/// Acute-event multiplier by baseline severity; with [`SEVERITY_WEIGHTS`] they average ~1.
pub(super) const SEVERITY_EVENT_FACTOR: [f64; 3] = [0.7, 1.0, 1.35];

/// Mean of each person's recovery gain by group (Integrated, Standard, Step-down,
/// comparison), on the latent scale where 1 is about +16 WEMWBS and -9 PHQ-9 points.
pub(super) const GAIN_MEAN: [f64; 4] = [1.05, 0.60, 0.55, 0.20];
pub(super) const GAIN_SD: f64 = 0.35;
/// Time constant of recovery, days, uniform between these.
pub(super) const TAU_DAYS: (f64, f64) = (60.0, 180.0);
pub(super) const GAIN_SEVERITY_SHIFT: [f64; 3] = [-0.10, 0.0, 0.10];
/// Share of people whose gain is negative (deteriorating), percent: service, comparison.
pub(super) const DETERIORATE_PCT: [u32; 2] = [8, 15];
/// Points per unit of latent recovery.
pub(super) const WEMWBS_PER_UNIT: f64 = 16.0;
pub(super) const PHQ9_PER_UNIT: f64 = 9.0;
pub(super) const CORE10_PER_UNIT: f64 = 11.0;

/// Planted role shares, percent.
pub(super) const DISCORDANT_PCT: usize = 8;
pub(super) const REVERSE_PCT: usize = 2;
pub(super) const EARLY_WARNING_PCT: usize = 5;
pub(super) const STATIC_PLAN_PCT: usize = 20;
/// Early-warning ramp over the last three 30-day blocks before the reference date:
/// missed and attended appointments per month.
pub(super) const EW_MISSED: [f64; 3] = [1.0, 2.0, 3.5];
pub(super) const EW_ATTENDED: [f64; 3] = [3.0, 2.0, 1.0];
