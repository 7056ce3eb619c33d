//! The scale on which a parent's change carries to the places below it.
//!
//! `local_angular` moves a place with its nearest ancestor: over an interval the child's
//! level changes by its parent's realised change plus a deviation. The angular scale is the
//! scale the model is linear on (it makes every survey's error the same size), but it need not
//! be the scale on which the parent's change is *shared*: on the angular scale a change of the
//! nation at 10 % carries to a province at 25 % as 1.4 times as many percentage points; on
//! percentage points as the same number; on logits as 2.1 times as many. The family in between
//! is g_λ with g′_λ(p) = (p(1−p))^(−λ/2) — λ = 0 percentage points, λ = 1 angular (up to a
//! constant), λ = 2 logit — and λ is estimated from the panel.
//!
//! **Carrying a change.** A parent's change Δ on the model scale h at parent proportion p_a is
//! carried to a child at proportion p_c by the ratio of the local derivatives (first order):
//! Δ_c = r·Δ, r = [h′(p_c)/h′(p_a)]·[g′_λ(p_a)/g′_λ(p_c)]. On the angular scale
//! (h′ ∝ (p(1−p))^(−1/2)) this is r = (sin 2θ_a / sin 2θ_c)^(1−λ), exactly 1 at λ = 1.
//!
//! **Estimate.** Every interval [x₀, x₁] of a series whose nearest ancestor with data covers it
//! gives a deviation d(λ) = (y₁ − y₀) − r_λ·(a(x₁) − a(x₀)), r at the interval's midpoint
//! ([`Transfer::carry`]). λ̂ minimises the survey-weighted sum of squares
//! Σ d(λ)²/v over the grid 0, 0.05, …, 2, where v is the sampling variance of the interval's
//! four values (both ends of the child and of the ancestor): weighted least squares with the
//! weights the data state; the model's own variance components are estimated after λ, on its
//! deviations. With fewer than [`MIN_TRANSFER_INTERVALS`] intervals λ = 1 (the model scale).
//! The estimate is made on whatever panel is fitted, so inside the backtest it uses only the
//! values up to each origin.

use super::angular::Angular;
use super::dist::Scale;

/// Fewest intervals for which λ is estimated; below it λ = 1 (changes carry on the model
/// scale). The same number as the slab weight's ([`super::slab::MIN_SLAB_INTERVALS`]).
pub const MIN_TRANSFER_INTERVALS: usize = 10;

/// The grid of λ searched: 0, 0.05, …, 2 (percentage points to logits).
fn grid() -> impl Iterator<Item = f64> {
    (0..=40).map(|i| f64::from(i) * 0.05)
}

/// How a parent's change on the model scale `scale` carries to a child: g_λ (module docs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Transfer {
    /// The scale the model is linear on.
    pub scale: Scale,
    /// λ of g_λ: 0 percentage points, 1 angular, 2 logits.
    pub lambda: f64,
}

impl Transfer {
    /// The factor r that carries a parent's change at model-scale level `parent` to a child at
    /// model-scale level `child` (module docs); 1 when either level is degenerate.
    pub fn ratio(self, child: f64, parent: f64) -> f64 {
        let r = match self.scale {
            Scale::Angular => ((2.0 * parent).sin() / (2.0 * child).sin()).powf(1.0 - self.lambda),
            s => {
                let (pc, pa) = (s.to_pct(child) / 100.0, s.to_pct(parent) / 100.0);
                let w = |p: f64| p * (1.0 - p);
                s.slope_per_proportion(pc) / s.slope_per_proportion(pa)
                    * (w(pc) / w(pa)).powf(self.lambda / 2.0)
            }
        };
        if r.is_finite() && r > 0.0 {
            r
        } else {
            1.0
        }
    }
}

impl Transfer {
    /// The child's change when its ancestor moves from `parent0` to `parent1` (model scale)
    /// and the child starts at `child0`: r·Δ with r taken at the interval's midpoint —
    /// the ancestor's (a₀ + a₁)/2 and the child's c₀ + r₀·Δ/2, r₀ = r(c₀, a₀) — second-order
    /// accurate where the first-order r₀·Δ is not (the nation's 2015–2020 change, 6.2 % to
    /// 10.6 %, carried on percentage points to a place at 9 %: 4.36 points exactly, 4.24
    /// from r₀, 4.35 from the midpoint).
    pub fn carry(self, child0: f64, parent0: f64, parent1: f64) -> f64 {
        let delta = parent1 - parent0;
        let half = child0 + 0.5 * self.ratio(child0, parent0) * delta;
        self.ratio(half, 0.5 * (parent0 + parent1)) * delta
    }
}

/// One interval of a series under its nearest ancestor covering it: the child's change and
/// level at x₀, the ancestor's levels at x₀ and x₁, the four values' survey variance.
struct Pair {
    dy: f64,
    y0: f64,
    a0: f64,
    a1: f64,
    v: f64,
}

/// λ̂ and the number of intervals behind it (module docs); `ancestors` as in
/// [`super::angular::Prepared`].
pub(crate) fn estimate(
    ang: &[Angular],
    ancestors: &[Vec<(usize, usize)>],
    scale: Scale,
) -> (Transfer, usize) {
    let mut pairs = Vec::new();
    for (a, anc) in ang.iter().zip(ancestors) {
        for i in 1..a.len() {
            let (x0, x1) = (a.t[i - 1], a.t[i]);
            let covering = anc.iter().find_map(|&(k, _)| {
                let p = &ang[k];
                Some((p.at(x0)?, p.at(x1)?, p.var_at(x0) + p.var_at(x1)))
            });
            if let Some((a0, a1, va)) = covering {
                let v = a.v[i - 1] + a.v[i] + va;
                if v > 0.0 && v.is_finite() {
                    pairs.push(Pair {
                        dy: a.y[i] - a.y[i - 1],
                        y0: a.y[i - 1],
                        a0,
                        a1,
                        v,
                    });
                }
            }
        }
    }
    let at = |lambda: f64| Transfer { scale, lambda };
    if pairs.len() < MIN_TRANSFER_INTERVALS {
        return (at(1.0), pairs.len());
    }
    let loss = |t: Transfer| {
        pairs
            .iter()
            .map(|p| (p.dy - t.carry(p.y0, p.a0, p.a1)).powi(2) / p.v)
            .sum::<f64>()
    };
    let best = grid()
        .map(|l| (l, loss(at(l))))
        .fold((1.0, f64::INFINITY), |b, c| if c.1 < b.1 { c } else { b });
    (at(best.0), pairs.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The angular ratio at λ = 0 carries percentage points: a parent change from 10 % to 11 %
    /// carried to a child at 25 % by r is close to one percentage point (first order).
    #[test]
    fn percentage_points_at_lambda_zero() {
        let s = Scale::Angular;
        let t = Transfer {
            scale: s,
            lambda: 0.0,
        };
        let (a0, a1, c0) = (s.from_pct(10.0), s.from_pct(11.0), s.from_pct(25.0));
        let c1 = c0 + t.ratio(c0, a0) * (a1 - a0);
        assert!((s.to_pct(c1) - 26.0).abs() < 0.01, "{}", s.to_pct(c1));
        // λ = 1: the angular change itself (r = 1 exactly).
        let one = Transfer { lambda: 1.0, ..t };
        assert_eq!(one.ratio(c0, a0), 1.0);
        // λ = 2 on the angular scale and any λ on the logit scale agree with the general
        // formula: on logits, r = [h′(p_c)/h′(p_a)]·(w_c/w_a)^(λ/2) with h′ = 1/w, so at
        // λ = 2 it is 1 (changes carry on logits).
        let logit = Transfer {
            scale: Scale::Logit,
            lambda: 2.0,
        };
        let (l0, lc) = (Scale::Logit.from_pct(10.0), Scale::Logit.from_pct(25.0));
        assert!((logit.ratio(lc, l0) - 1.0).abs() < 1e-12);
        // Angular at λ = 2: r = sin 2θ_c / sin 2θ_a = √(w_c/w_a) = √(0.1875/0.09).
        let two = Transfer { lambda: 2.0, ..t };
        assert!((two.ratio(c0, a0) - (0.1875f64 / 0.09).sqrt()).abs() < 1e-12);
    }
}
