//! A panel's series on the model scale (angular by default) with their survey variances, and
//! each series' ancestors that have a series, computed once per panel for `local_angular`.

use super::dist::Scale;
use super::fit::{clean_points, Series, TrendPoint};
use super::hierarchy::Hierarchy;
#[cfg(doc)]
use super::sampling::imputed_sampling_var;
use super::sampling::{default_sample_size, level_or_depth, missing_var_on};
use super::transfer::{estimate, Pair, Transfer};

use std::collections::HashMap;

/// A series on the angular scale: years, values, survey variances (0 when unknown).
pub(crate) struct Angular {
    pub(crate) t: Vec<f64>,
    pub(crate) y: Vec<f64>,
    pub(crate) v: Vec<f64>,
    /// Sampling variance of the survey that will publish the series' next value: its latest
    /// value's when that had a standard error, else the imputed one of a survey of the year
    /// `next_year` given to [`Angular::new`] (the current design; 0 for an empty series).
    pub(crate) v_next: f64,
}

impl Angular {
    /// The points on the angular scale; a value of year t without a standard error gets the
    /// survey variance of a proportion from `missing_n(t)` respondents (see
    /// [`imputed_sampling_var`]; on the angular scale exactly 1/(4n), on another by the delta
    /// method from the binomial standard error √(p(1−p)/n)); `next_year` is the year whose
    /// survey design a next value is given ([`Angular::v_next`]).
    pub(crate) fn new(
        points: &[TrendPoint],
        missing_n: &dyn Fn(i32) -> f64,
        s: Scale,
        next_year: i32,
    ) -> Angular {
        let pts = clean_points(points);
        let var = |p: &TrendPoint, year: i32| match p.se {
            Some(se) if se > 0.0 && se.is_finite() => s.delta_var(p.value, se),
            _ => missing_var_on(s, p.value, missing_n(year)),
        };
        Angular {
            t: pts.iter().map(|p| f64::from(p.year)).collect(),
            y: pts.iter().map(|p| s.from_pct(p.value)).collect(),
            v: pts.iter().map(|p| var(p, p.year)).collect(),
            v_next: pts.last().map_or(0.0, |p| var(p, next_year.max(p.year))),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.t.len()
    }

    /// Linear interpolation at year `x`, `None` outside the observed range.
    pub(crate) fn at(&self, x: f64) -> Option<f64> {
        let n = self.len();
        if n == 0 || x < self.t[0] || x > self.t[n - 1] {
            return None;
        }
        let i = self.t.partition_point(|&t| t < x);
        if self.t[i] == x {
            return Some(self.y[i]);
        }
        let (t0, t1) = (self.t[i - 1], self.t[i]);
        Some(self.y[i - 1] + (self.y[i] - self.y[i - 1]) * (x - t0) / (t1 - t0))
    }

    /// Survey variance at year `x`: linear between the two points around it (0 outside).
    pub(crate) fn var_at(&self, x: f64) -> f64 {
        let n = self.len();
        if n == 0 || x < self.t[0] || x > self.t[n - 1] {
            return 0.0;
        }
        let i = self.t.partition_point(|&t| t < x);
        if self.t[i] == x {
            return self.v[i];
        }
        let (t0, t1) = (self.t[i - 1], self.t[i]);
        self.v[i - 1] + (self.v[i] - self.v[i - 1]) * (x - t0) / (t1 - t0)
    }

    /// Index of the first point of the recent window: the latest point at or before
    /// t_n − window, else the first point.
    pub(crate) fn window_start(&self, window: f64) -> usize {
        let n = self.len();
        let last = self.t[n - 1];
        (0..n.saturating_sub(1))
            .rev()
            .find(|&i| self.t[i] <= last - window)
            .unwrap_or(0)
    }
}

/// The series of a panel on the angular scale, with their ancestors that have a series
/// (nearest first, with the number of parent links up to each), and the scale a parent's
/// change carries to a child on (with the number of intervals behind it), computed once per
/// panel.
pub(crate) struct Prepared {
    pub(crate) ang: Vec<Angular>,
    pub(crate) ancestors: Vec<Vec<(usize, usize)>>,
    /// Every interval of a series covered by its nearest ancestor with data, in series and
    /// interval order ([`Covered`]).
    pub(crate) covered: Vec<Covered>,
    pub(crate) transfer: Transfer,
    pub(crate) transfer_intervals: usize,
}

/// Interval `i` (values i and i + 1) of series `series`, covered by its nearest ancestor with
/// data `links` parent links up: the ancestor's levels at both ends (interpolated) and its
/// survey variance at both ends.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Covered {
    pub(crate) series: usize,
    pub(crate) i: usize,
    pub(crate) links: usize,
    pub(crate) a0: f64,
    pub(crate) a1: f64,
    pub(crate) va: f64,
}

impl Prepared {
    /// `lambda`: the transfer scale λ ([`super::transfer`]), `None` to estimate it from the
    /// panel.
    pub(crate) fn new(
        series: &[Series],
        hierarchy: &Hierarchy,
        scale: Scale,
        lambda: Option<f64>,
    ) -> Prepared {
        let index: HashMap<&str, usize> = series
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        let mut ang = Vec::with_capacity(series.len());
        let mut ancestors = Vec::with_capacity(series.len());
        // The panel's latest year: the design a next survey is given.
        let now = series
            .iter()
            .filter_map(|s| s.points.iter().map(|p| p.year).max())
            .max()
            .unwrap_or(0);
        for s in series {
            // One walk up the registry gives the ancestors with a series and the depth.
            let mut walk = hierarchy.ancestors(&s.id);
            let anc: Vec<(usize, usize)> = walk
                .by_ref()
                .filter_map(|(id, steps)| index.get(id).map(|&i| (i, steps)))
                .collect();
            let level = level_or_depth(s.level, walk.depth());
            ang.push(Angular::new(
                &s.points,
                &|year| default_sample_size(level, year),
                scale,
                now,
            ));
            ancestors.push(anc);
        }
        let covered = covered_intervals(&ang, &ancestors);
        let (transfer, transfer_intervals) = match lambda {
            Some(lambda) => (Transfer { scale, lambda }, 0),
            None => {
                let pairs = transfer_pairs(&ang, &covered);
                (estimate(&pairs, scale), pairs.len())
            }
        };
        Prepared {
            ang,
            ancestors,
            covered,
            transfer,
            transfer_intervals,
        }
    }
}

/// Every interval of a series covered by its nearest ancestor with data (the first of its
/// ancestors whose series spans both ends).
fn covered_intervals(ang: &[Angular], ancestors: &[Vec<(usize, usize)>]) -> Vec<Covered> {
    let mut out = Vec::new();
    for (series, (a, anc)) in ang.iter().zip(ancestors).enumerate() {
        for i in 0..a.len().saturating_sub(1) {
            let (x0, x1) = (a.t[i], a.t[i + 1]);
            let hit = anc.iter().find_map(|&(k, links)| {
                let p = &ang[k];
                let va = p.var_at(x0) + p.var_at(x1);
                Some((links, p.at(x0)?, p.at(x1)?, va))
            });
            if let Some((links, a0, a1, va)) = hit {
                out.push(Covered {
                    series,
                    i,
                    links,
                    a0,
                    a1,
                    va,
                });
            }
        }
    }
    out
}

/// The covered intervals with a positive survey variance, for the estimate of the transfer
/// scale ([`super::transfer`]).
fn transfer_pairs(ang: &[Angular], covered: &[Covered]) -> Vec<Pair> {
    covered
        .iter()
        .filter_map(|c| {
            let a = &ang[c.series];
            let v = a.v[c.i] + a.v[c.i + 1] + c.va;
            (v > 0.0 && v.is_finite()).then_some(Pair {
                dy: a.y[c.i + 1] - a.y[c.i],
                y0: a.y[c.i],
                a0: c.a0,
                a1: c.a1,
                v,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_start_is_latest_point_at_or_before_the_window() {
        let a = Angular::new(
            &[
                TrendPoint {
                    year: 2010,
                    value: 3.0,
                    se: None,
                },
                TrendPoint {
                    year: 2015,
                    value: 6.0,
                    se: None,
                },
                TrendPoint {
                    year: 2018,
                    value: 8.0,
                    se: None,
                },
                TrendPoint {
                    year: 2020,
                    value: 10.0,
                    se: None,
                },
            ],
            &|_| 1e12,
            Scale::Angular,
            2020,
        );
        assert_eq!(a.window_start(5.0), 1);
        assert_eq!(a.window_start(1.0), 2);
        assert_eq!(a.window_start(20.0), 0);
    }
}
