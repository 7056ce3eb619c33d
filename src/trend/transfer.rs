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
    /// 10.56 %, carried on percentage points to a place at 9 %: 4.36 points exactly, 4.18
    /// from r₀, 4.38 from the midpoint).
    pub fn carry(self, child0: f64, parent0: f64, parent1: f64) -> f64 {
        let delta = parent1 - parent0;
        let half = child0 + 0.5 * self.ratio(child0, parent0) * delta;
        self.ratio(half, 0.5 * (parent0 + parent1)) * delta
    }
}

/// One interval of a series under its nearest ancestor covering it: the child's change and
/// level at x₀, the ancestor's levels at x₀ and x₁, the four values' survey variance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Pair {
    pub(crate) dy: f64,
    pub(crate) y0: f64,
    pub(crate) a0: f64,
    pub(crate) a1: f64,
    pub(crate) v: f64,
}

/// λ̂ from the intervals `pairs` (module docs) on the model scale `scale`.
pub(crate) fn estimate(pairs: &[Pair], scale: Scale) -> Transfer {
    let at = |lambda: f64| Transfer { scale, lambda };
    if pairs.len() < MIN_TRANSFER_INTERVALS {
        return at(1.0);
    }
    let loss = |t: Transfer| {
        pairs
            .iter()
            .filter(|p| p.v > 0.0 && p.v.is_finite())
            .map(|p| (p.dy - t.carry(p.y0, p.a0, p.a1)).powi(2) / p.v)
            .sum::<f64>()
    };
    let best = grid()
        .map(|l| (l, loss(at(l))))
        .fold((1.0, f64::INFINITY), |b, c| if c.1 < b.1 { c } else { b });
    at(best.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The angular scale at λ = 0 carries percentage points: a parent change from 10 % to 11 %
    /// carried to a child at 25 % is one point (26.0001 % by the midpoint rule); the nation's
    /// 6.2 → 10.56 % carried to a place at 9 % gives 4.3767 points (exactly 4.36; first
    /// order from the start, r₀·Δ, 4.1804). Reference: the angular θ = asin √p and
    /// r = sin 2θ_a / sin 2θ_c evaluated in Python (double precision).
    #[test]
    fn percentage_points_at_lambda_zero() {
        let s = Scale::Angular;
        let t = Transfer {
            scale: s,
            lambda: 0.0,
        };
        let (a0, a1, c0) = (s.from_pct(10.0), s.from_pct(11.0), s.from_pct(25.0));
        let c1 = c0 + t.carry(c0, a0, a1);
        assert!((s.to_pct(c1) - 26.000_118).abs() < 1e-6, "{}", s.to_pct(c1));
        let (a0, a1, c0) = (s.from_pct(6.2), s.from_pct(10.56), s.from_pct(9.0));
        let mid = s.to_pct(c0 + t.carry(c0, a0, a1)) - 9.0;
        let first = s.to_pct(c0 + t.ratio(c0, a0) * (a1 - a0)) - 9.0;
        assert!((mid - 4.376_741).abs() < 1e-6 && (first - 4.180_422).abs() < 1e-6);
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
        // Angular at λ = 2: r = sin 2θ_c / sin 2θ_a = √(w_c/w_a) = √(0.09·0.91 / (0.062·0.938))
        // (the child at 9 %, the parent at 6.2 %).
        let two = Transfer { lambda: 2.0, ..t };
        let w = (0.09 * 0.91 / (0.062 * 0.938f64)).sqrt();
        assert!((two.ratio(c0, a0) - w).abs() < 1e-12);
    }

    /// λ̂ recovers the scale the children's changes were made on: ten children at 5–30 % whose
    /// parent moves 10 → 11 % each gain exactly one percentage point (λ̂ = 0: at λ = 0.05 the
    /// 30 % child would be carried 0.02 points too far, the midpoint rule's own error is
    /// 10⁻⁴), or exactly the parent's angular change (λ̂ = 1, where r = 1 exactly); with nine
    /// intervals λ = 1 whatever they say.
    #[test]
    fn the_transfer_scale_is_estimated() {
        let s = Scale::Angular;
        let (a0, a1) = (s.from_pct(10.0), s.from_pct(11.0));
        let levels = [5.0, 8.0, 12.0, 15.0, 18.0, 20.0, 22.0, 25.0, 28.0, 30.0];
        let pair = |c: f64, dy: f64| Pair {
            dy,
            y0: s.from_pct(c),
            a0,
            a1,
            v: 1e-5,
        };
        let pp: Vec<Pair> = levels
            .iter()
            .map(|&c| pair(c, s.from_pct(c + 1.0) - s.from_pct(c)))
            .collect();
        assert_eq!(estimate(&pp, s).lambda, 0.0);
        let angular: Vec<Pair> = levels.iter().map(|&c| pair(c, a1 - a0)).collect();
        assert_eq!(estimate(&angular, s).lambda, 1.0);
        assert_eq!(estimate(&pp[..9], s).lambda, 1.0);
    }

    /// λ̂ recovers an intermediate scale too: children whose changes were made exactly on
    /// g_0.5 — G(p) = I_p(3/4, 3/4), the regularised incomplete beta function, whose derivative
    /// is proportional to (p(1−p))^(−1/4) — as their parent moves 10 → 13 %, each child's end
    /// solved from G(c₁) = G(c₀) + G(13 %) − G(10 %) by bisection. The exact transform is
    /// statrs' incomplete beta function, independent of the midpoint rule being tested.
    #[test]
    fn an_intermediate_transfer_scale_is_recovered() {
        use statrs::function::beta::beta_reg;
        let g = |pct: f64| beta_reg(0.75, 0.75, pct / 100.0);
        let s = Scale::Angular;
        let (p0, p1) = (10.0, 13.0);
        let pairs: Vec<Pair> = [
            5.0, 8.0, 12.0, 15.0, 18.0, 20.0, 22.0, 25.0, 28.0, 30.0, 35.0, 40.0,
        ]
        .iter()
        .map(|&c0| {
            let target = g(c0) + g(p1) - g(p0);
            let (mut lo, mut hi) = (c0, 100.0);
            for _ in 0..200 {
                let mid = 0.5 * (lo + hi);
                if g(mid) < target {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            Pair {
                dy: s.from_pct(0.5 * (lo + hi)) - s.from_pct(c0),
                y0: s.from_pct(c0),
                a0: s.from_pct(p0),
                a1: s.from_pct(p1),
                v: 1e-5,
            }
        })
        .collect();
        assert_eq!(estimate(&pairs, s).lambda, 0.5);
    }
}
