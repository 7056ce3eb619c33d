//! The shared types of the trend models — the Fit→Predict seam: a series and its points,
//! a fitted trend ([`TrendFit`]) with its predictive distribution, and a panel's fits.
//!
//! Every model returns a [`TrendFit`]: a level at an anchor year with its variance, a slope
//! with its variance, and the variance of a new value, all on the model's [`Scale`]. The
//! predictive distribution at year T is
//!
//! μ_T = y_anchor + b (T − t_anchor) + a (T − t_anchor)² (a = 0 but for `local_angular`'s
//! nested acceleration correction),
//! σ²_T = Var(y_anchor) + 2 (T − t_anchor) Cov(y_anchor, b) + (T − t_anchor)² Var(b)
//!        + σ²_new + σ²_step · (T − t_anchor),
//!
//! Normal, or Student t with the fit's residual df when the variance was estimated.

use super::dist::{Predictive, Scale};
use super::pool::{PriorSource, ResidualPrior};

/// One observation of a series, in percent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrendPoint {
    /// Survey year.
    pub year: i32,
    /// Value in percent.
    pub value: f64,
    /// Standard error in percentage points, when published.
    pub se: Option<f64>,
}

/// One jurisdiction's series.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Jurisdiction id.
    pub id: String,
    /// Observations, sorted by year.
    pub points: Vec<TrendPoint>,
    /// The jurisdiction's administrative level, when known (`local_angular` imputes the
    /// sampling variance of prefecture and county figures published without a standard error).
    pub level: Option<crate::model::Level>,
}

/// The fits of a panel, aligned with the input series.
#[derive(Debug, Clone)]
pub struct PanelFit {
    /// Residual variance prior pooled over the panel (the fallback when none can be pooled,
    /// and always for `local_angular`).
    pub residual: ResidualPrior,
    /// One fit per input series, in input order (`None` where the model cannot be fitted).
    pub fits: Vec<Option<TrendFit>>,
}

/// Data age: where a carried fit ([`TrendFit::aged_from`]) comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct AgedFrom {
    /// The series' own latest year t₀.
    pub t0: f64,
    /// The filtered level m₀ there (model scale).
    pub m0: f64,
    /// Its variance P₀.
    pub p0: f64,
    /// The carried level in each year t₀ + 1, t₀ + 2, … before the anchor year: the
    /// ancestor's realised path plus the siblings' common deviation and the own deviation
    /// slope up to that year (model scale); a year beyond it lies on the straight line from
    /// m₀ to the anchor.
    pub path: Vec<f64>,
}

/// A fitted trend (see the module docs for the predictive formula).
#[derive(Debug, Clone, PartialEq)]
pub struct TrendFit {
    /// What was used, e.g. `logit_wls`, `logit_wls_eb`, `logit_2pt_eb`, `logit_1pt_pooled`.
    pub model: &'static str,
    /// Scale of `anchor`, `slope` and the variances.
    pub scale: Scale,
    /// Number of observations the fit used.
    pub n_obs: usize,
    /// Anchor year t_anchor (the latest survey, or the weighted mean year x̄ for WLS lines; may
    /// be fractional).
    pub anchor_year: f64,
    /// Level y_anchor at `anchor_year`, on `scale`.
    pub anchor: f64,
    /// Var(y_anchor), on `scale`.
    pub anchor_var: f64,
    /// Cov(anchor, slope) (the `local_angular` filter; 0 for the other models).
    pub cov_anchor_slope: f64,
    /// Slope b per year, on `scale`.
    pub slope: f64,
    /// Var(b).
    pub slope_var: f64,
    /// Variance σ²_new of a new observation around the trend (residual variance), on `scale`.
    pub new_var: f64,
    /// Per-year variance σ²_step of a random-walk step (0 for the regression models).
    pub step_var: f64,
    /// Acceleration a on `scale` per year²: the mean adds a·h² for h > 0 years after the
    /// anchor (0 except `local_angular` with the nested acceleration correction,
    /// [`crate::trend::local::LocalConfig::accel`]).
    pub accel: f64,
    /// The part of `anchor_var` that is known-Normal survey sampling error (the filtered
    /// level's variance of `local_angular`; 0 for the other models). It is not given the
    /// Student t tails of the model part (see [`TrendFit::predictive`]).
    pub sampling_var: f64,
    /// Sampling variance v_new of the survey that will publish a future value, on `scale`:
    /// Normal, added to the intervals of published values
    /// ([`TrendFit::predictive_published`]). `local_angular`: the latest value's v when it
    /// has a published standard error (the next survey of the place is taken to be as
    /// precise as its latest), else its level's imputed 1/(4n) with the sample of the
    /// panel's latest national survey design; 0 for the other models (their residual
    /// variance `new_var` already holds a new value's scatter).
    pub obs_var: f64,
    /// Data age: when the series' latest value (year t₀, filtered level m₀ with variance
    /// P₀) is older than its ancestor's latest, the fit is re-anchored at the ancestor's
    /// latest year along the ancestor's realised path; this keeps (t₀, m₀, P₀) for the years
    /// in between and for the `reason` column ([`AgedFrom`]). `None` otherwise.
    pub aged_from: Option<AgedFrom>,
    /// Degrees of freedom of the Student t predictive; `None` for a Normal.
    pub df: Option<f64>,
    /// The series' own slope before shrinkage, when it has one.
    pub own_slope: Option<f64>,
    /// Weight γ of the own slope in the shrunk slope γ b + (1 − γ) β₀.
    pub shrink_weight: Option<f64>,
    /// Where the pooled slope came from (for the `reason` column).
    pub prior_source: Option<PriorSource>,
    /// The pooled (prior) slope β₀ on `scale`, when one was used.
    pub prior_slope: Option<f64>,
}

impl TrendFit {
    /// Predictive distribution of the level (the true value) in `year`: location
    /// anchor + slope·h, h = year − anchor_year, and two independent parts,
    /// * the model part, scale² M = (anchor_var − sampling_var) + 2h·cov + h²·slope_var +
    ///   new_var + step_var·h⁺, Student t with `df` degrees of freedom ν (Normal without);
    /// * the survey sampling part S = `sampling_var`, Normal.
    ///
    /// Their sum σ_M·T_ν + √S·Z is represented by one Student t (the Welch–Satterthwaite
    /// approximation, GUM JCGM 100:2008 G.4): the variances u_M = M·ν/(ν − 2) and S add,
    /// U = u_M + S; the effective degrees of freedom are ν_eff = U²/(u_M²/ν) (a Normal part
    /// has infinite degrees of freedom), rounded down to an integer (wider tails, never
    /// narrower; the Normal above [`NORMAL_DF`]), and the scale is the one whose t(ν_eff)
    /// variance is U: σ² = U(ν_eff − 2)/ν_eff. With S = 0 it is the model's t exactly; when S
    /// dominates it tends to the Normal of the sampling error. For ν ≤ 2 (no variance) the
    /// scales add: σ² = M + S with ν.
    pub fn predictive(&self, year: i32) -> Predictive {
        self.combined(self.parts(year))
    }

    /// The Welch–Satterthwaite t of (mean, model part, Normal part) on this fit's scale.
    fn combined(&self, (mu, model, normal): (f64, f64, f64)) -> Predictive {
        let (sd, df) = combine_t_normal(model, normal, self.df);
        Predictive {
            scale: self.scale,
            mu,
            sd,
            df,
        }
    }

    /// The parts of [`TrendFit::predictive`] at `year`: (mean, model part M — the t(ν) scale²
    /// —, Normal sampling part S).
    pub fn parts(&self, year: i32) -> (f64, f64, f64) {
        let h = year as f64 - self.anchor_year;
        let s = self.sampling_var.clamp(0.0, self.anchor_var.max(0.0));
        if let Some(a) = self
            .aged_from
            .as_ref()
            .filter(|a| h < 0.0 && f64::from(year) >= a.t0)
        {
            // Between the own latest value and the re-anchoring year: the carried path (else
            // the straight line on the model scale); the model variance grows in proportion
            // from 0, the Normal part from the level's P₀ at t₀ to the carried level's at the
            // anchor (the ancestor's survey errors and the siblings' common deviation accrue
            // over the carried years).
            let w = (f64::from(year) - a.t0) / (self.anchor_year - a.t0);
            let p0 = a.p0.max(0.0).min(s);
            let on_path = (f64::from(year) - a.t0 - 1.0).round();
            let line = a.m0 + w * (self.anchor - a.m0);
            return (
                (on_path >= 0.0)
                    .then(|| a.path.get(on_path as usize).copied())
                    .flatten()
                    .unwrap_or(line),
                w * (self.anchor_var - s).max(0.0),
                p0 + w * (s - p0),
            );
        }
        let model = (self.anchor_var - s
            + 2.0 * h * self.cov_anchor_slope
            + h * h * self.slope_var
            + self.new_var
            + self.step_var * h.max(0.0))
        .max(0.0);
        (
            self.anchor + self.slope * h + self.accel * h.max(0.0).powi(2),
            model,
            s,
        )
    }

    /// The predictive distribution of the value a survey will *publish* for `year`: the
    /// level's ([`TrendFit::predictive`]) with that survey's own sampling variance
    /// v_new = `obs_var` added to the Normal part, S + v_new, for years after the series' own
    /// latest year (y = μ + ε, ε ~ N(0, v_new): a prediction interval for a new observation,
    /// not for the level). Intervals shown beside published values (`project`, the assessment's 80 %
    /// interval, the charts' fans, the candidate targets, the backtest) use it; the
    /// probability that the level meets a target (`p_reach`, the verdict) uses the level's.
    pub fn predictive_published(&self, year: i32) -> Predictive {
        self.combined(self.parts_published(year))
    }

    /// The parts of [`TrendFit::predictive_published`]: [`TrendFit::parts`] with `obs_var`
    /// added to the Normal part after the series' own latest year.
    pub fn parts_published(&self, year: i32) -> (f64, f64, f64) {
        let (mu, model, normal) = self.parts(year);
        // After the series' own latest value: the anchor, or for a fit re-anchored along its
        // ancestor's path (`aged_from`), the own latest year t₀.
        let latest = self.aged_from.as_ref().map_or(self.anchor_year, |a| a.t0);
        let new = if f64::from(year) > latest {
            self.obs_var.max(0.0)
        } else {
            0.0
        };
        (mu, model, normal + new)
    }

    /// Upper one-sided bound of the slope at level `q` (e.g. 0.95) on the model scale.
    pub fn slope_upper(&self, q: f64) -> f64 {
        self.slope + self.slope_var.sqrt() * super::dist::std_quantile(q, self.df)
    }

    /// Lower one-sided bound of the slope at level `q`.
    pub fn slope_lower(&self, q: f64) -> f64 {
        self.slope - self.slope_var.sqrt() * super::dist::std_quantile(q, self.df)
    }
}

/// Effective degrees of freedom above which [`combine_t_normal`] returns a Normal
/// (t₁₀₀'s 97.5 % quantile is 1.98, the Normal's 1.96).
pub const NORMAL_DF: f64 = 100.0;

/// The Welch–Satterthwaite t of [`TrendFit::predictive`]: (scale σ, degrees of freedom) of
/// the sum of a t(ν) part of scale² `model` and a Normal part of variance `normal`.
pub fn combine_t_normal(model: f64, normal: f64, df: Option<f64>) -> (f64, Option<f64>) {
    let normal = normal.max(0.0);
    match df {
        Some(nu) if nu.is_finite() && nu > 2.0 && normal > 0.0 => {
            let u_m = model * nu / (nu - 2.0);
            let u = u_m + normal;
            let nu_eff = if u_m > 0.0 {
                (u * u / (u_m * u_m / nu)).floor().max(nu.floor())
            } else {
                f64::INFINITY
            };
            if nu_eff > NORMAL_DF {
                (u.sqrt(), None)
            } else {
                ((u * (nu_eff - 2.0) / nu_eff).sqrt(), Some(nu_eff))
            }
        }
        _ => ((model + normal).sqrt(), df),
    }
}

/// The finite points sorted by year, one per year (the first of duplicates).
pub(crate) fn clean_points(points: &[TrendPoint]) -> Vec<TrendPoint> {
    let mut pts: Vec<TrendPoint> = points
        .iter()
        .copied()
        .filter(|p| p.value.is_finite())
        .collect();
    pts.sort_by_key(|p| p.year);
    pts.dedup_by_key(|p| p.year);
    pts
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fit anchored in 2020 on the angular scale: level 0.3, slope 0.01/yr, no model
    /// variance beyond the anchor's, sampling part S = anchor_var = 1e-4 (Normal), a new
    /// survey's v_new = 4e-4.
    fn fit(aged_from: Option<AgedFrom>) -> TrendFit {
        TrendFit {
            model: "local_angular",
            scale: Scale::Angular,
            n_obs: 1,
            anchor_year: 2020.0,
            anchor: 0.3,
            anchor_var: 1e-4,
            cov_anchor_slope: 0.0,
            slope: 0.01,
            slope_var: 0.0,
            new_var: 0.0,
            sampling_var: 1e-4,
            obs_var: 4e-4,
            aged_from,
            step_var: 0.0,
            accel: 0.0,
            df: None,
            own_slope: None,
            shrink_weight: None,
            prior_source: None,
            prior_slope: None,
        }
    }

    /// By hand: in 2022 the level is 0.3 + 2·0.01 = 0.32 with model part 0 and S = 1e-4; the
    /// published value adds v_new: S = 5e-4, sd √5e-4 (Normal, no df). At the anchor year
    /// itself (the latest value) nothing is added. A fit re-anchored in 2020 from its own
    /// latest value of 2017 (`aged_from`) adds v_new from 2018 on (2018 is after t₀ = 2017).
    #[test]
    fn published_values_add_the_new_surveys_sampling_variance() {
        let f = fit(None);
        let (mu, m, s) = f.parts_published(2022);
        assert!((mu - 0.32).abs() < 1e-15 && m == 0.0 && (s - 5e-4).abs() < 1e-18);
        assert_eq!(f.parts(2022).2, 1e-4);
        let p = f.predictive_published(2022);
        assert!((p.sd - 5e-4f64.sqrt()).abs() < 1e-15 && p.df.is_none());
        assert_eq!(f.parts_published(2020).2, 1e-4);

        // Carried from 2017 with the level's variance P₀ = 0.4e-4 there: the Normal part
        // grows linearly to S = 1e-4 at the anchor, 0.4e-4 + (1/3)·0.6e-4 = 0.6e-4 in 2018.
        let aged = fit(Some(AgedFrom {
            t0: 2017.0,
            m0: 0.27,
            p0: 0.4e-4,
            path: vec![0.29],
        }));
        // 2018 lies on the carried path, 2019 (beyond it) on the straight line to the anchor.
        assert_eq!(aged.parts(2018).0, 0.29);
        assert!((aged.parts(2019).0 - (0.27 + 2.0 / 3.0 * 0.03)).abs() < 1e-15);
        assert!((aged.parts_published(2017).2 - 0.4e-4).abs() < 1e-18);
        assert!((aged.parts_published(2018).2 - (0.6e-4 + 4e-4)).abs() < 1e-18);
        assert!((aged.parts_published(2020).2 - 5e-4).abs() < 1e-18);
    }
}
