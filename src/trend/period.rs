//! The siblings' common deviation by year (`local_angular`'s data age): a period effect
//! shared by the series below one ancestor, which the ancestor's own path does not show.
//!
//! **Model.** Below an ancestor a, every interval (x₀, x₁] between two consecutive values of
//! a series i (s = x₁ − x₀ years, L_i parent links up to a) gives the deviation
//! D_i = (y_i(x₁) − y_i(x₀)) − r·(a(x₁) − a(x₀)) on the model scale (r carries the ancestor's
//! change to the series' level, [`super::transfer`]), and
//! D_i = Σ_{x₀ < t ≤ x₁} π_t + ε_i, ε_i ~ N(0, e_i), e_i = v_i(x₀) + v_i(x₁) + v_a(x₀) +
//! v_a(x₁) + L_i·q̃·s + L_i·σ̃_d²·s² (the series' and the ancestor's survey variances at the
//! two ends, the series' level noise and own slope dispersion; the ancestor's survey errors
//! are shared by the intervals of the same years, a correlation left out, so that π is the
//! deviation from the ancestor's true path and its sampling error, which a carried series
//! adds on its own, is not counted twice).
//! π_t, the common deviation in year t (per year), is a random walk,
//! π_t = π_{t−1} + w_t, w_t ~ N(0, τ²), from a flat start: period effects persist and drift.
//!
//! **τ²** is chosen by leave-one-series-out cross-validation, pooled over every ancestor's
//! intervals of the current survey era (from [`super::local::SURVEY_ERA_START`]: before it
//! the national survey's few thousand respondents make the nation's path too rough to tell
//! period effects from survey error): each series' intervals are predicted from the other
//! series' intervals below the same ancestor (the estimate below, at that τ²), and τ² is
//! the value of a log grid from 10⁻⁸ to 10⁻⁴ (angular scale, per year², quarter-decade
//! steps) maximising the log predictive density
//! Σ_i ln φ(D_i − g_i'π̂₋ₛ; g_i'Q₋ₛ⁻¹g_i + e_i) (ties: the smaller τ², the more pooling
//! over time). That is, nearly, the prediction a carried series is given (its estimate also
//! uses the intervals before the era and the years from its siblings' first value), and
//! under a misspecified covariance — the random walk is a convenient form, not a law of the
//! data — cross-validation chooses a covariance parameter for prediction better than the
//! likelihood does (Bachoc 2013). On the embedded data restricted maximum likelihood's
//! profile is flat over four decades of τ² (within 1.2 log-units from 10⁻⁸ to 3·10⁻⁵),
//! and its maximum, 1.8·10⁻⁶, pooled the 2020s' common deviation with the earlier years'
//! more than the held-out forecasts bear out (README, "Hold-out of old values": 0.49 ×
//! naive drift with REML's τ², 0.43 × with the cross-validated one, 5.6·10⁻⁶ on the
//! embedded data). With no series whose intervals can be predicted from another's, τ² is
//! not identified and the grid's geometric middle, 10⁻⁶, is used.
//!
//! **Estimate** (Rue & Held 2005, ch. 3: the random walk as a Gaussian Markov random field):
//! the posterior of π given the D_i at that τ², precision Q = R/τ² + ε·e₀e₀' + Σ h_i h_i'/e_i
//! (R the first-difference structure matrix, ε = 10⁻⁹ a flat start, h_i the indicator of the
//! interval's years), mean Q⁻¹ Σ h_i D_i/e_i. A series carried over (t₀, t₁] adds
//! g'π̂ (g the indicator of those years) with variance g'Q⁻¹g; a year without any interval
//! borrows its neighbours' values, with the random walk's variance.

use std::collections::HashMap;

use nalgebra::{Cholesky, DMatrix, DVector, Dyn};

use super::angular::{Angular, Prepared};
use super::transfer::Transfer;

/// Prior precision of the first year's π: flat (a prior standard deviation of about
/// 30,000 per year on the model scale, which no data set approaches).
const FLAT_START: f64 = 1e-9;

/// One interval (x₀, x₁] of a series below an ancestor: its deviation D from the ancestor's
/// change and the variance e of D that is the series' own (module docs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Interval {
    /// The series' index.
    pub series: usize,
    pub x0: i32,
    pub x1: i32,
    pub d: f64,
    pub e: f64,
}

/// The intervals of the series `below` ancestor `k` (index, parent links up to k) that k's
/// series covers, with level noise `q` and slope dispersion `sd2` per link; k's change is
/// carried to each series by `tr`.
pub(super) fn intervals(
    ang: &[Angular],
    below: &[(usize, usize)],
    k: usize,
    (q, sd2): (f64, f64),
    tr: Transfer,
) -> Vec<Interval> {
    let parent = &ang[k];
    let mut out = Vec::new();
    for &(i, links) in below {
        let a = &ang[i];
        let l = links as f64;
        for w in 1..a.len() {
            let (x0, x1) = (a.t[w - 1], a.t[w]);
            let (Some(p0), Some(p1)) = (parent.at(x0), parent.at(x1)) else {
                continue;
            };
            let pc = tr.carry(a.y[w - 1], p0, p1);
            let s = x1 - x0;
            let e = a.v[w - 1]
                + a.v[w]
                + parent.var_at(x0)
                + parent.var_at(x1)
                + q * l * s
                + sd2 * l * s * s;
            if e > 0.0 && e.is_finite() && s >= 1.0 {
                out.push(Interval {
                    series: i,
                    x0: x0.round() as i32,
                    x1: x1.round() as i32,
                    d: (a.y[w] - a.y[w - 1]) - pc,
                    e,
                });
            }
        }
    }
    out
}

/// The grid of τ² (angular scale; times `unit` on another) searched by [`cv_tau2`].
fn tau2_grid(unit: f64) -> impl Iterator<Item = f64> {
    (0..=16).map(move |i| unit * 10f64.powf(-8.0 + 0.25 * f64::from(i)))
}

/// τ² by leave-one-series-out cross-validation over `groups` (each the intervals below one
/// ancestor; module docs); the grid's middle when no interval can be predicted from another
/// series' intervals. A grid value at which some held-out posterior cannot be formed (its
/// precision not positive definite) is left out, not scored on fewer intervals.
pub(super) fn cv_tau2(groups: &[Vec<Interval>], unit: f64) -> f64 {
    let grid: Vec<f64> = tau2_grid(unit).collect();
    let mut scores: Vec<Held> = vec![Held::Nothing; grid.len()];
    for g in groups {
        for (total, s) in scores.iter_mut().zip(held_out_scores(g, &grid)) {
            *total = total.plus(s);
        }
    }
    let mut best: Option<(f64, f64)> = None;
    for (&tau2, score) in grid.iter().zip(scores) {
        if let Held::Score(score) = score {
            if score.is_finite() && best.is_none_or(|(_, b)| score > b) {
                best = Some((tau2, score));
            }
        }
    }
    best.map_or(unit * 1e-6, |(t, _)| t)
}

/// The held-out log predictive density at one τ²: nothing to predict, a score, or a
/// posterior that could not be formed (which voids the τ²).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Held {
    Nothing,
    Score(f64),
    Failed,
}

impl Held {
    fn plus(self, other: Held) -> Held {
        match (self, other) {
            (Held::Failed, _) | (_, Held::Failed) => Held::Failed,
            (Held::Nothing, x) | (x, Held::Nothing) => x,
            (Held::Score(a), Held::Score(b)) => Held::Score(a + b),
        }
    }
}

/// For each τ² of `grid`, Σ ln φ(D_i − g_i'π̂₋ₛ; g_i'Q₋ₛ⁻¹g_i + e_i) (up to the constant)
/// over the intervals of one ancestor's series, each series' intervals predicted from the
/// others' over the group's years (the group's evidence with the series' own taken out):
/// [`Held::Nothing`] when no series has a sibling interval to learn from,
/// [`Held::Failed`] when a posterior cannot be formed.
fn held_out_scores(g: &[Interval], grid: &[f64]) -> Vec<Held> {
    let mut scores = vec![Held::Nothing; grid.len()];
    let (Some(start), Some(end)) = (g.iter().map(|i| i.x0).min(), g.iter().map(|i| i.x1).max())
    else {
        return scores;
    };
    let Some(n) = usize::try_from(end - start).ok().filter(|&n| n > 0) else {
        return scores;
    };
    let all = Evidence::of(g, start, n);
    let held_out: std::collections::BTreeSet<usize> = g.iter().map(|i| i.series).collect();
    for &held in &held_out {
        let Some((rest, span)) = all.without(g, held) else {
            continue;
        };
        let own = || g.iter().filter(move |i| i.series == held);
        for (score, &tau2) in scores.iter_mut().zip(grid) {
            let Some(fit) = PeriodEffect::from_evidence(&rest, span, tau2) else {
                *score = Held::Failed;
                continue;
            };
            for i in own() {
                let (m, v) = fit.sum(f64::from(i.x0), f64::from(i.x1));
                let var = v + i.e;
                *score = score.plus(Held::Score(-0.5 * ((i.d - m).powi(2) / var + var.ln())));
            }
        }
    }
    scores
}

/// The posterior of the common deviation π_t of one ancestor's series, for the years
/// `start + 1 ..= start + n` (module docs).
pub(super) struct PeriodEffect {
    start: i32,
    /// The years the intervals span, (first x₀, last x₁]: outside them π is 0.
    span: (i32, i32),
    mean: DVector<f64>,
    chol: Cholesky<f64, Dyn>,
}

/// The intervals' part of the posterior precision and right-hand side over the years
/// `start + 1 ..= start + n`: Σ h_i h_i'/e_i and Σ h_i D_i/e_i (module docs). Additive, so a
/// series' intervals can be taken out again (leave-one-out).
#[derive(Clone)]
struct Evidence {
    start: i32,
    q: DMatrix<f64>,
    b: DVector<f64>,
}

impl Evidence {
    fn new(start: i32, n: usize) -> Evidence {
        Evidence {
            start,
            q: DMatrix::zeros(n, n),
            b: DVector::zeros(n),
        }
    }

    /// The evidence of the intervals of `iv` inside the years (start, start + n].
    fn of(iv: &[Interval], start: i32, n: usize) -> Evidence {
        let mut all = Evidence::new(start, n);
        for i in iv {
            if all.holds(i) {
                all.add(i, 1.0);
            }
        }
        all
    }

    /// Whether interval `i` lies inside the evidence's years.
    fn holds(&self, i: &Interval) -> bool {
        let end = i64::from(self.start) + self.b.len() as i64;
        i.x0 >= self.start && i64::from(i.x1) <= end
    }

    /// This evidence (of the intervals `iv` inside its years) with series `held`'s intervals
    /// taken out, and the years the remaining ones span; `None` when none remain.
    fn without(&self, iv: &[Interval], held: usize) -> Option<(Evidence, (i32, i32))> {
        let others = || iv.iter().filter(|i| self.holds(i) && i.series != held);
        let span = (others().map(|i| i.x0).min()?, others().map(|i| i.x1).max()?);
        let mut rest = self.clone();
        for i in iv.iter().filter(|i| self.holds(i) && i.series == held) {
            rest.add(i, -1.0);
        }
        Some((rest, span))
    }

    /// Adds interval `i` with `sign` 1, takes it out with −1.
    fn add(&mut self, i: &Interval, sign: f64) {
        let r = PeriodEffect::range(self.start, i.x0, i.x1);
        for x in r.clone() {
            self.b[x] += sign * i.d / i.e;
            for y in r.clone() {
                self.q[(x, y)] += sign / i.e;
            }
        }
    }
}

impl PeriodEffect {
    /// The posterior over the years (start, end] at τ² = `tau2`; `None` without intervals
    /// inside those years. (The fits take a series' intervals out of its ancestor's
    /// evidence instead, [`Siblings`]; the tests check the two agree.)
    #[cfg(test)]
    pub(super) fn fit(iv: &[Interval], (start, end): (i32, i32), tau2: f64) -> Option<Self> {
        let n = usize::try_from(end - start).ok().filter(|&n| n > 0)?;
        let inside = || iv.iter().filter(|i| i.x0 >= start && i.x1 <= end);
        let span = (inside().map(|i| i.x0).min()?, inside().map(|i| i.x1).max()?);
        let data = Evidence::of(iv, start, n);
        Self::from_evidence(&data, span, tau2)
    }

    /// The posterior from the intervals' evidence `data` (spanning the years `span`) at τ².
    fn from_evidence(data: &Evidence, span: (i32, i32), tau2: f64) -> Option<Self> {
        if tau2 <= 0.0 {
            return None;
        }
        let n = data.b.len();
        let mut q = data.q.clone();
        q[(0, 0)] += FLAT_START;
        for a in 1..n {
            q[(a, a)] += 1.0 / tau2;
            q[(a - 1, a - 1)] += 1.0 / tau2;
            q[(a, a - 1)] -= 1.0 / tau2;
            q[(a - 1, a)] -= 1.0 / tau2;
        }
        let chol = q.cholesky()?;
        let mean = chol.solve(&data.b);
        Some(PeriodEffect {
            start: data.start,
            span,
            mean,
            chol,
        })
    }

    /// Indices of the years (t₀, t₁].
    fn range(start: i32, t0: i32, t1: i32) -> std::ops::Range<usize> {
        let at = |t: i32| usize::try_from(t - start).unwrap_or(0);
        at(t0)..at(t1.max(t0))
    }

    /// Σ π_t over t₀ < t ≤ t₁ and its variance g'Q⁻¹g, over the years the intervals span
    /// (outside them nothing is known of the siblings, and π is 0).
    pub(super) fn sum(&self, t0: f64, t1: f64) -> (f64, f64) {
        let clamp = |t: f64| (t.round() as i32).clamp(self.span.0, self.span.1);
        let r = Self::range(self.start, clamp(t0), clamp(t1));
        if r.is_empty() {
            return (0.0, 0.0);
        }
        let mut g = DVector::<f64>::zeros(self.mean.len());
        g.rows_mut(r.start, r.len()).fill(1.0);
        (g.dot(&self.mean), g.dot(&self.chol.solve(&g)))
    }
}

/// The series below each ancestor k (those whose nearest ancestor with a series is k, with
/// the parent links up to it), τ² pooled over all of them, and each ancestor's
/// [`PeriodEffect`], fitted once when a series below it is first carried.
pub(super) struct Siblings {
    below: HashMap<usize, Vec<(usize, usize)>>,
    components: (f64, f64, f64),
    transfer: Transfer,
    era_start: i32,
    /// Every ancestor's intervals, listed once when first needed.
    groups: Option<HashMap<usize, Vec<Interval>>>,
    tau2: Option<(f64, usize)>,
    /// Each ancestor's evidence over its years, built once (a carried series' own intervals
    /// are taken out of it).
    evidence: HashMap<(usize, i32, i32), Evidence>,
    cache: HashMap<(usize, Option<usize>), Option<PeriodEffect>>,
}

impl Siblings {
    /// `q`, `sd2`: level noise and slope dispersion per link (calibrated); `unit` the
    /// model scale's unit variance; τ² is estimated on the intervals from `era_start` on.
    pub(super) fn new(
        prep: &Prepared,
        (q, sd2, unit): (f64, f64, f64),
        era_start: i32,
    ) -> Siblings {
        let (ang, ancestors) = (&prep.ang, &prep.ancestors);
        let mut below: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
        for (i, anc) in ancestors.iter().enumerate() {
            if let Some(&(k, links)) = anc.iter().find(|&&(k, _)| ang[k].len() > 0) {
                below.entry(k).or_default().push((i, links));
            }
        }
        Siblings {
            below,
            components: (q, sd2, unit),
            transfer: prep.transfer,
            era_start,
            groups: None,
            tau2: None,
            evidence: HashMap::new(),
            cache: HashMap::new(),
        }
    }

    /// Every ancestor's intervals ([`intervals`]), listed once.
    fn groups(&mut self, ang: &[Angular]) -> &HashMap<usize, Vec<Interval>> {
        let (q, sd2, _) = self.components;
        let (below, tr) = (&self.below, self.transfer);
        self.groups.get_or_insert_with(|| {
            below
                .iter()
                .map(|(&k, b)| (k, intervals(ang, b, k, (q, sd2), tr)))
                .collect()
        })
    }

    /// τ² by cross-validation over every ancestor's intervals of the current era
    /// ([`cv_tau2`]), computed once, and
    /// the number of those intervals.
    pub(super) fn tau2(&mut self, ang: &[Angular]) -> (f64, usize) {
        if let Some(t) = self.tau2 {
            return t;
        }
        let (era, unit) = (self.era_start, self.components.2);
        // In the ancestors' order, so that the sum over groups does not depend on hashing.
        let mut keyed: Vec<(usize, Vec<Interval>)> = self
            .groups(ang)
            .iter()
            .map(|(&k, iv)| (k, iv.iter().filter(|i| i.x0 >= era).copied().collect()))
            .collect();
        keyed.sort_by_key(|&(k, _)| k);
        let groups: Vec<Vec<Interval>> = keyed.into_iter().map(|(_, g)| g).collect();
        let t = (cv_tau2(&groups, unit), groups.iter().map(Vec::len).sum());
        self.tau2 = Some(t);
        t
    }

    /// The common deviation of the other series below `k` than `j` (the carried series,
    /// whose own intervals end by its latest year and whose deviation slope is its own),
    /// its estimate reaching the year `tk` (k's latest, where carried series are
    /// re-anchored); `None` when no other interval below k is covered by k's series, and
    /// when j is not older than `tk` (it is not carried: nothing is fitted).
    pub(super) fn effect(
        &mut self,
        ang: &[Angular],
        k: usize,
        j: usize,
        tk: f64,
    ) -> Option<&PeriodEffect> {
        if ang[j].t.last().is_none_or(|&t| t >= tk) {
            return None;
        }
        let own = self
            .groups(ang)
            .get(&k)
            .is_some_and(|iv| iv.iter().any(|i| i.series == j));
        // One estimate per ancestor, and one without j when j has intervals of its own.
        let key = (k, own.then_some(j));
        if !self.cache.contains_key(&key) {
            let (tau2, _) = self.tau2(ang);
            let below = self.below.get(&k).map_or(&[][..], Vec::as_slice);
            let first = below.iter().filter_map(|&(i, _)| ang[i].t.first()).copied();
            let last = below.iter().filter_map(|&(i, _)| ang[i].t.last()).copied();
            let start = first.fold(f64::INFINITY, f64::min).round() as i32;
            let end = last.fold(tk, f64::max).round() as i32;
            let fit = self.without(ang, k, j, (start, end), tau2);
            self.cache.insert(key, fit);
        }
        self.cache.get(&key).and_then(Option::as_ref)
    }

    /// The posterior of k's common deviation over the years (start, end] from the intervals
    /// of the series below k other than j: k's evidence (built once) with j's intervals
    /// taken out — the same as [`PeriodEffect::fit`] on the others' intervals.
    fn without(
        &mut self,
        ang: &[Angular],
        k: usize,
        j: usize,
        (start, end): (i32, i32),
        tau2: f64,
    ) -> Option<PeriodEffect> {
        let n = usize::try_from(end - start).ok().filter(|&n| n > 0)?;
        self.groups(ang);
        let iv: &[Interval] = self
            .groups
            .as_ref()
            .and_then(|g| g.get(&k))
            .map_or(&[], Vec::as_slice);
        let all = self
            .evidence
            .entry((k, start, end))
            .or_insert_with(|| Evidence::of(iv, start, n));
        let (rest, span) = all.without(iv, j)?;
        PeriodEffect::from_evidence(&rest, span, tau2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(x0: i32, x1: i32, d: f64, e: f64) -> Interval {
        Interval {
            series: 0,
            x0,
            x1,
            d,
            e,
        }
    }

    /// One interval: with a flat start the sum over its own years is its deviation D, with
    /// variance e (the conjugate update D·P/(P + e), P → ∞); none before or after its span.
    #[test]
    fn one_interval_by_hand() {
        let fit =
            PeriodEffect::fit(&[iv(2015, 2020, -0.01, 1e-4)], (2010, 2025), 1e-6).expect("fit");
        let (m, v) = fit.sum(2015.0, 2020.0);
        assert!(
            (m + 0.01).abs() < 1e-12 && (v - 1e-4).abs() < 1e-12,
            "{m} {v}"
        );
        assert_eq!(fit.sum(2020.0, 2025.0), (0.0, 0.0));
        assert_eq!(fit.sum(2010.0, 2015.0), (0.0, 0.0));
        // Not identified without another series to predict from: the grid's middle.
        let one = vec![iv(2010, 2015, 0.02, 4e-5), iv(2015, 2020, -0.01, 4e-5)];
        assert_eq!(cv_tau2(&[one], 1.0), 1e-6);
        assert!(PeriodEffect::fit(&[], (2010, 2025), 1e-6).is_none());
    }

    fn of(series: usize, x0: i32, x1: i32, d: f64, e: f64) -> Interval {
        Interval {
            series,
            ..iv(x0, x1, d, e)
        }
    }

    /// The cross-validated τ² and a held-out prediction against
    /// `scripts/reference/period_effect_reference.py` (universal kriging, the covariance
    /// form): four series below one ancestor whose common deviation turns from + to − in
    /// the middle of the period, and two below another.
    #[test]
    fn cross_validated_tau2_matches_the_kriging_reference() {
        let a = vec![
            of(0, 2010, 2015, 0.020, 4e-5),
            of(0, 2015, 2020, -0.008, 3e-5),
            of(1, 2010, 2014, 0.018, 5e-5),
            of(1, 2014, 2020, -0.006, 4e-5),
            of(2, 2012, 2018, 0.012, 6e-5),
            of(2, 2018, 2022, -0.012, 2e-5),
            of(3, 2016, 2022, -0.016, 3e-5),
        ];
        let b = vec![
            of(4, 2011, 2016, 0.003, 1e-5),
            of(5, 2013, 2019, -0.002, 2e-5),
        ];
        let tau2 = cv_tau2(&[a.clone(), b.clone()], 1.0);
        assert!(
            (tau2 / 1.778_279_410_038_923e-6 - 1.0).abs() < 1e-12,
            "{tau2}"
        );
        // The second group alone: a steady small deviation, the most pooling over time.
        assert_eq!(cv_tau2(&[b], 1.0), 1e-8);
        let others: Vec<Interval> = a.iter().filter(|i| i.series != 3).copied().collect();
        let fit = PeriodEffect::fit(&others, (2010, 2022), tau2).expect("fit");
        let (m, v) = fit.sum(2016.0, 2022.0);
        assert!(
            (m + 0.012_479_360_296_274_392).abs() < 1e-10
                && (v / 1.818_360_921_348_955_6e-5 - 1.0).abs() < 1e-6,
            "{m} {v}"
        );
        // The cross-validation takes the held-out series' intervals out of the group's
        // evidence instead of refitting: the same posterior.
        let (rest, span) = Evidence::of(&a, 2010, 12).without(&a, 3).expect("others");
        assert_eq!(span, (2010, 2022));
        let down = PeriodEffect::from_evidence(&rest, span, tau2).expect("fit");
        let (dm, dv) = down.sum(2016.0, 2022.0);
        assert!(
            (dm - m).abs() < 1e-12 && (dv / v - 1.0).abs() < 1e-9,
            "{dm} {dv}"
        );
    }

    /// A τ² at which one held-out posterior fails is void, not scored on fewer intervals;
    /// a group whose intervals span no year predicts nothing (and does not panic).
    #[test]
    fn a_failed_posterior_voids_its_tau2() {
        assert_eq!(Held::Nothing.plus(Held::Score(-1.0)), Held::Score(-1.0));
        assert_eq!(Held::Score(-1.0).plus(Held::Score(-2.0)), Held::Score(-3.0));
        assert_eq!(Held::Score(-1.0).plus(Held::Failed), Held::Failed);
        assert_eq!(Held::Failed.plus(Held::Nothing), Held::Failed);
        let flat = vec![of(0, 2010, 2010, 0.01, 1e-5), of(1, 2010, 2010, 0.02, 1e-5)];
        assert_eq!(cv_tau2(&[flat], 1.0), 1e-6);
    }

    /// The sums at a given τ² against `scripts/reference/period_effect_reference.py`
    /// (universal kriging, the covariance form; this code uses the precision form).
    #[test]
    fn matches_the_kriging_reference() {
        let g1 = vec![
            iv(2010, 2014, 0.012, 4e-5),
            iv(2014, 2016, -0.002, 2e-5),
            iv(2016, 2020, -0.008, 5e-5),
        ];
        let tau2 = 3.162_277_660_168_379e-6;
        let fit = PeriodEffect::fit(&g1, (2008, 2024), tau2).expect("fit");
        for ((t0, t1), (m, v)) in [
            (
                (2015.0, 2020.0),
                (-0.006_538_158_080_367_744, 4.989_033_393_465_155_6e-5),
            ),
            (
                (2012.0, 2018.0),
                (0.000_509_925_667_928_134_3, 5.174_919_168_202_002e-5),
            ),
            (
                (2019.0, 2020.0),
                (-0.001_815_526_573_974_768_4, 5.794_981_932_792_225e-6),
            ),
        ] {
            let (em, ev) = fit.sum(t0, t1);
            assert!(
                (em - m).abs() < 1e-10 && (ev / v - 1.0).abs() < 1e-6,
                "{em} {ev}"
            );
        }
        // Beyond the intervals' last year (2020) nothing is added.
        assert_eq!(fit.sum(2018.0, 2024.0), fit.sum(2018.0, 2020.0));
    }
}
