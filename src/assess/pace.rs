//! Pace arithmetic for the plans' countable sub-indicators: how much is done, against the
//! share of the plan period elapsed, the pace required for the rest, and the end value at
//! the current pace.
//!
//! Period [a, b] has L = b − a + 1 years; at `as_of` the elapsed years are
//! e = clamp(as_of − a + 1, 0, L) and the elapsed share is e / L (3/5 at the end of 2023
//! for a 2021–2025 plan).
//!
//! * **cumulative** (values are yearly amounts): done = Σ amounts in [a, min(as_of, b)],
//!   share done = done / target, required per year = (target − done) / (L − e),
//!   projected end = done / e · L.
//! * **annual** (a minimum every year): done = Σ amounts, share done = done / (target · L),
//!   required per year = target, projected end = the mean yearly amount so far.
//! * **level** (values are measured levels): done = latest level y_t, share done =
//!   (y_t − y_b)/(y* − y_b) with the baseline y_b — the plan's, else the value in or just
//!   before the period start (as for the literacy rate) — (or y_t / y* without one), required per
//!   year = (y* − y_t)/(b − t), projected end = y_t + (y_t − y_b)/(t − t_b) · (b − t).
//!
//! Status: `no_data` without values; `achieved` when the target is met (for annual: every
//! year of a finished period met it); otherwise the pace ratio r — projected end over target
//! (for level: projected progress over the required progress) — gives `on_track` (r ≥ 0.95),
//! `at_risk` (0.6 ≤ r < 0.95) or `off_track` (r < 0.6), the Open SDG thresholds used for the
//! CAGR ratio. Once the period has ended the status is final: `achieved` or `not_achieved`,
//! and no pace is required for the rest.

use crate::assess::Status;
use crate::model::{Direction, Kind, PlanIndicator, YearValue};

/// Status of a sub-indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum PaceStatus {
    /// The target is met (annual: every year of a finished period met it).
    Achieved,
    /// The period has ended and the target was missed.
    NotAchieved,
    /// Pace ratio r ≥ 0.95.
    OnTrack,
    /// 0.6 ≤ r < 0.95.
    AtRisk,
    /// r < 0.6.
    OffTrack,
    /// The literacy rate's trend slope is significantly adverse (from the assessment).
    Regressing,
    /// No values for the target in its period (or a non-finite pace ratio).
    NoData,
}

impl PaceStatus {
    /// Machine name used in CSV/JSON output (`on_track`, `no_data`, …).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    fn from_ratio(r: f64) -> PaceStatus {
        if !r.is_finite() {
            PaceStatus::NoData
        } else if r >= 0.95 {
            PaceStatus::OnTrack
        } else if r >= 0.6 {
            PaceStatus::AtRisk
        } else {
            PaceStatus::OffTrack
        }
    }
}

/// A sub-indicator's status from the literacy rate's (a count shown beside it in
/// `indicators`): the same verdicts, `no_data` for `insufficient_data`.
impl From<Status> for PaceStatus {
    fn from(s: Status) -> PaceStatus {
        match s {
            Status::Achieved => PaceStatus::Achieved,
            Status::NotAchieved => PaceStatus::NotAchieved,
            Status::OnTrack => PaceStatus::OnTrack,
            Status::AtRisk => PaceStatus::AtRisk,
            Status::OffTrack => PaceStatus::OffTrack,
            Status::Regressing => PaceStatus::Regressing,
            Status::InsufficientData => PaceStatus::NoData,
        }
    }
}

/// The status of an `assess` row of a count from its pace: the same verdicts,
/// `insufficient_data` for `no_data`.
impl From<PaceStatus> for Status {
    fn from(s: PaceStatus) -> Status {
        match s {
            PaceStatus::Achieved => Status::Achieved,
            PaceStatus::NotAchieved => Status::NotAchieved,
            PaceStatus::OnTrack => Status::OnTrack,
            PaceStatus::AtRisk => Status::AtRisk,
            PaceStatus::OffTrack => Status::OffTrack,
            PaceStatus::Regressing => Status::Regressing,
            PaceStatus::NoData => Status::InsufficientData,
        }
    }
}

/// What the arithmetic needs about one target.
#[derive(Debug, Clone, Copy)]
pub struct PaceTarget {
    /// How the indicator is counted: level, cumulative or annual.
    pub kind: Kind,
    /// Desired direction of change.
    pub direction: Direction,
    /// First and last year of the period, inclusive ([a, b]).
    pub period: [i32; 2],
    /// Target y*: the level to reach, the total to accumulate, or the yearly minimum.
    pub target: f64,
    /// Baseline the plan states (level kind only).
    pub baseline: Option<YearValue>,
}

impl PaceTarget {
    /// The target `target` of plan indicator `ind` over `period` (its kind, direction and
    /// stated baseline).
    pub fn of(ind: &PlanIndicator, period: [i32; 2], target: f64) -> PaceTarget {
        PaceTarget {
            kind: ind.kind,
            direction: ind.direction,
            period,
            target,
            baseline: ind.baseline,
        }
    }
}

/// The result for one target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pace {
    /// Done so far: the sum of yearly amounts (cumulative, annual) or the latest level y_t.
    pub done: Option<f64>,
    /// Share done (fraction; 1 = target reached): see the module doc per kind.
    pub share_done: Option<f64>,
    /// Share of the period elapsed, e / L (fraction, 0–1).
    pub share_elapsed: f64,
    /// Pace required for the rest of the period, in the indicator's unit per year; `None` once
    /// the period has ended.
    pub required_per_year: Option<f64>,
    /// Value at the end of the period at the current pace (total, mean yearly amount or level).
    pub projected_end: Option<f64>,
    /// Status of the target.
    pub status: PaceStatus,
}

/// Pace of one target given its `(year, value)` observations and the `as_of` year.
///
/// Once the period has ended (`as_of` ≥ its last year) the status is final — `achieved`
/// or `not_achieved` (`no_data` without values) — and no pace is required for the rest.
pub fn pace(t: &PaceTarget, values: &[(i32, f64)], as_of: i32) -> Pace {
    let mut p = pace_open(t, values, as_of);
    if as_of >= t.period[1] {
        p.required_per_year = None;
        if !matches!(p.status, PaceStatus::Achieved | PaceStatus::NoData) {
            p.status = PaceStatus::NotAchieved;
        }
    }
    p
}

fn pace_open(t: &PaceTarget, values: &[(i32, f64)], as_of: i32) -> Pace {
    let [a, b] = t.period;
    let len = f64::from(b - a + 1);
    let elapsed = f64::from((as_of - a + 1).clamp(0, b - a + 1));
    let share_elapsed = elapsed / len;
    let mut vals: Vec<(i32, f64)> = values
        .iter()
        .copied()
        .filter(|(y, v)| *y <= as_of && v.is_finite())
        .collect();
    vals.sort_by_key(|v| v.0);
    let w = Window {
        a,
        b,
        len,
        elapsed,
        share_elapsed,
        as_of,
    };
    let paced = match t.kind {
        Kind::Cumulative => cumulative_pace(t, &vals, w),
        Kind::Annual => annual_pace(t, &vals, w),
        Kind::Level => level_pace(t, &vals, w),
    };
    paced.unwrap_or(Pace {
        done: None,
        share_done: None,
        share_elapsed,
        required_per_year: None,
        projected_end: None,
        status: PaceStatus::NoData,
    })
}

/// The plan period [a, b] at `as_of`: its length L = b − a + 1, the elapsed years e and the
/// elapsed share e / L.
#[derive(Debug, Clone, Copy)]
struct Window {
    a: i32,
    b: i32,
    len: f64,
    elapsed: f64,
    share_elapsed: f64,
    as_of: i32,
}

impl Window {
    /// The values of the years a..=b of the period, in the order of `vals`; `None` when
    /// there are none.
    fn values_in(&self, vals: &[(i32, f64)]) -> Option<Vec<f64>> {
        let in_period: Vec<f64> = vals
            .iter()
            .filter(|(y, _)| *y >= self.a && *y <= self.b)
            .map(|v| v.1)
            .collect();
        (!in_period.is_empty()).then_some(in_period)
    }
}

/// Cumulative target (values are yearly amounts); `None` without values in the period.
fn cumulative_pace(t: &PaceTarget, vals: &[(i32, f64)], w: Window) -> Option<Pace> {
    let in_period = w.values_in(vals)?;
    let Window {
        len,
        elapsed,
        share_elapsed,
        ..
    } = w;
    let done: f64 = in_period.iter().sum();
    let remaining = len - elapsed;
    let projected = (elapsed > 0.0).then(|| done / elapsed * len);
    let status = if done >= t.target {
        PaceStatus::Achieved
    } else {
        projected.map_or(PaceStatus::NoData, |p| PaceStatus::from_ratio(p / t.target))
    };
    Some(Pace {
        done: Some(done),
        share_done: (t.target != 0.0).then(|| done / t.target),
        share_elapsed,
        required_per_year: (remaining > 0.0).then(|| (t.target - done).max(0.0) / remaining),
        projected_end: projected,
        status,
    })
}

/// Annual minimum (a target every year); `None` without values in the period.
fn annual_pace(t: &PaceTarget, vals: &[(i32, f64)], w: Window) -> Option<Pace> {
    let in_period = w.values_in(vals)?;
    let Window {
        b,
        len,
        share_elapsed,
        as_of,
        ..
    } = w;
    let sign = t.direction.sign();
    let done: f64 = in_period.iter().sum();
    let mean = done / in_period.len() as f64;
    let all_met = in_period.iter().all(|v| sign * (v - t.target) >= 0.0);
    let finished = as_of >= b && in_period.len() as f64 >= len;
    let status = if finished && all_met {
        PaceStatus::Achieved
    } else if all_met {
        PaceStatus::OnTrack
    } else {
        let r = if sign > 0.0 {
            mean / t.target
        } else {
            t.target / mean
        };
        PaceStatus::from_ratio(r.min(0.949))
    };
    Some(Pace {
        done: Some(done),
        share_done: (t.target != 0.0).then(|| done / (t.target * len)),
        share_elapsed,
        required_per_year: Some(t.target),
        projected_end: Some(mean),
        status,
    })
}

/// Level target (values are measured levels); `None` without values.
fn level_pace(t: &PaceTarget, vals: &[(i32, f64)], w: Window) -> Option<Pace> {
    let Window {
        a,
        b,
        share_elapsed,
        ..
    } = w;
    let sign = t.direction.sign();
    let &(ty, yt) = vals.last()?;
    // Baseline: the plan's; else the latest value in or before the period's first
    // year (at most STALE_YEARS older); else the first value after it — the rule of
    // the literacy rate ([`crate::assess`]), never simply the oldest value.
    let stale = crate::assess::STALE_YEARS;
    let base = t.baseline.map(|bv| (bv.year, bv.value)).or_else(|| {
        vals.iter()
            .rev()
            .find(|(y, _)| *y <= a && *y >= a - stale)
            .or_else(|| vals.iter().find(|(y, _)| *y > a))
            .copied()
            .filter(|f| f.0 < ty)
    });
    let share_done = match base {
        Some((_, yb)) if t.target != yb => Some((yt - yb) / (t.target - yb)),
        _ if t.target != 0.0 => Some(yt / t.target),
        _ => None,
    };
    let end = b.max(ty);
    let required = (end > ty).then(|| (t.target - yt) / f64::from(end - ty));
    let projected = base
        .filter(|(by, _)| *by < ty)
        .map(|(by, yb)| yt + (yt - yb) / f64::from(ty - by) * f64::from(end - ty));
    let status = if sign * (yt - t.target) >= 0.0 {
        PaceStatus::Achieved
    } else {
        match (projected, base) {
            (Some(p), Some((_, yb))) if t.target != yb => {
                PaceStatus::from_ratio((p - yb) / (t.target - yb))
            }
            _ => match share_done {
                Some(s) if share_elapsed > 0.0 => PaceStatus::from_ratio(s / share_elapsed),
                _ => PaceStatus::NoData,
            },
        }
    };
    Some(Pace {
        done: Some(yt),
        share_done,
        share_elapsed,
        required_per_year: required,
        projected_end: projected,
        status,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(kind: Kind, value: f64) -> PaceTarget {
        PaceTarget {
            kind,
            direction: Direction::Increase,
            period: [2021, 2025],
            target: value,
            baseline: None,
        }
    }

    #[test]
    fn cumulative_by_hand() {
        // 65,000 farmers over 2021–2025; 12,000 + 14,000 + 13,000 done by 2023.
        let p = pace(
            &target(Kind::Cumulative, 65_000.0),
            &[(2021, 12_000.0), (2022, 14_000.0), (2023, 13_000.0)],
            2023,
        );
        assert_eq!(p.done, Some(39_000.0));
        assert_eq!(p.share_elapsed, 0.6);
        assert_eq!(p.share_done, Some(0.6));
        assert_eq!(p.required_per_year, Some(13_000.0)); // (65000 − 39000)/2
        assert_eq!(p.projected_end, Some(65_000.0)); // 39000/3·5
        assert_eq!(p.status, PaceStatus::OnTrack);
        // A later value is ignored at --as-of 2022: 26,000 in 2 years → 65,000 projected.
        let p = pace(
            &target(Kind::Cumulative, 65_000.0),
            &[(2021, 12_000.0), (2022, 10_000.0), (2023, 13_000.0)],
            2022,
        );
        assert_eq!(p.done, Some(22_000.0));
        assert_eq!(p.projected_end, Some(55_000.0));
        assert_eq!(p.status, PaceStatus::AtRisk); // 55/65 = 0.846
    }

    #[test]
    fn annual_minimum_by_hand() {
        let p = pace(
            &target(Kind::Annual, 400.0),
            &[(2021, 420.0), (2022, 380.0)],
            2022,
        );
        assert_eq!(p.done, Some(800.0));
        assert_eq!(p.share_done, Some(0.4)); // 800 / 2000
        assert_eq!(p.share_elapsed, 0.4);
        assert_eq!(p.required_per_year, Some(400.0));
        assert_eq!(p.projected_end, Some(400.0));
        assert_eq!(p.status, PaceStatus::AtRisk); // 2022 missed the minimum
        let ok = pace(
            &target(Kind::Annual, 400.0),
            &[(2021, 420.0), (2022, 410.0)],
            2022,
        );
        assert_eq!(ok.status, PaceStatus::OnTrack);
    }

    #[test]
    fn level_by_hand() {
        let mut t = target(Kind::Level, 90.0);
        t.baseline = Some(YearValue {
            year: 2020,
            value: 70.0,
        });
        let p = pace(&t, &[(2022, 78.0)], 2022);
        assert_eq!(p.done, Some(78.0));
        assert_eq!(p.share_done, Some(0.4)); // 8/20
        assert_eq!(p.required_per_year, Some(4.0)); // 12/3
        assert_eq!(p.projected_end, Some(90.0)); // 78 + 4·3
        assert_eq!(p.status, PaceStatus::OnTrack);
        assert_eq!(pace(&t, &[], 2022).status, PaceStatus::NoData);
        assert_eq!(pace(&t, &[(2023, 91.0)], 2023).status, PaceStatus::Achieved);
    }

    /// Once the period has ended the verdict is final and no pace is required: 39,000 of
    /// 65,000 by 2025 is not achieved; 65,000 is achieved.
    #[test]
    fn ended_period_is_final() {
        let t = target(Kind::Cumulative, 65_000.0);
        let missed = pace(&t, &[(2021, 20_000.0), (2025, 19_000.0)], 2025);
        assert_eq!(missed.status, PaceStatus::NotAchieved);
        assert_eq!(missed.required_per_year, None);
        assert_eq!(missed.share_elapsed, 1.0);
        let met = pace(&t, &[(2021, 40_000.0), (2025, 25_000.0)], 2026);
        assert_eq!(met.status, PaceStatus::Achieved);
        assert_eq!(met.required_per_year, None);
        assert_eq!(pace(&t, &[], 2025).status, PaceStatus::NoData);
    }

    /// A level's baseline without a stated one is the value in or just before the period
    /// start, not the oldest value: 400 (2010, stale), 600 (2020), 900 (2023), target 1000 →
    /// share (900 − 600)/(1000 − 600) = 0.75, not (900 − 400)/(1000 − 400) = 0.833.
    #[test]
    fn level_baseline_is_the_period_start_value() {
        let t = target(Kind::Level, 1000.0);
        let p = pace(&t, &[(2010, 400.0), (2020, 600.0), (2023, 900.0)], 2023);
        assert_eq!(p.share_done, Some(0.75));
    }
}
