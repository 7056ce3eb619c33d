//! Predictive distributions: a location–scale Normal or Student t on a transformed scale,
//! back-transformed to percent. Quantiles survive monotone maps, so the interval bounds
//! on the percent scale are the transformed bounds.

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

/// Scale on which a model is linear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// logit(p) = ln(p / (1 − p)) on the proportion p = percent / 100.
    Logit,
    /// ln(percent): constant growth rate (CAGR).
    Log,
    /// Percentage points.
    Percent,
    /// The angular (arcsine square-root) scale θ = asin(√p) on the proportion p, the
    /// variance-stabilising transform of a proportion (Anscombe 1948). A constant slope on
    /// this scale is a growth rate that depends on the level: dθ/dt = (dp/dt) / (2√(p(1−p))),
    /// so the logit slope of a constant angular pace falls as 1/√(p(1−p)) while p rises.
    Angular,
}

/// Proportions are kept inside [1e-4, 1 − 1e-4] before taking logits, so that a published
/// 0 % or 100 % does not give an infinite value.
pub const P_FLOOR: f64 = 1e-4;

/// Bound on logits before back-transformation (see [`Scale::to_pct`]).
pub const LOGIT_CAP: f64 = 20.0;

/// Angles are kept within [ε, π/2 − ε] before back-transformation, ε = 3·10⁻⁵
/// (p ∈ [9·10⁻¹⁰, 1 − 9·10⁻¹⁰]), so that every quantile stays strictly inside (0, 100).
pub const ANGLE_EPS: f64 = 3e-5;

impl Scale {
    /// Percent → model scale.
    pub fn from_pct(self, pct: f64) -> f64 {
        match self {
            Scale::Logit => logit((pct / 100.0).clamp(P_FLOOR, 1.0 - P_FLOOR)),
            Scale::Log => pct.max(P_FLOOR * 100.0).ln(),
            Scale::Percent => pct,
            Scale::Angular => (pct / 100.0).clamp(P_FLOOR, 1.0 - P_FLOOR).sqrt().asin(),
        }
    }

    /// Model scale → percent. Logits are kept within ±20 (p ∈ [2e-9, 1 − 2e-9]) so that a
    /// far extrapolation stays strictly inside (0, 100) in floating point.
    pub fn to_pct(self, v: f64) -> f64 {
        match self {
            Scale::Logit => 100.0 * expit(v.clamp(-LOGIT_CAP, LOGIT_CAP)),
            Scale::Log => v.exp(),
            Scale::Percent => v,
            Scale::Angular => {
                100.0
                    * v.clamp(ANGLE_EPS, std::f64::consts::FRAC_PI_2 - ANGLE_EPS)
                        .sin()
                        .powi(2)
            }
        }
    }

    /// Derivative of the model scale with respect to the proportion p = percent / 100:
    /// logit 1/(p(1−p)), log 1/p, percent 100, angular 1/(2√(p(1−p))) (p kept inside
    /// [`P_FLOOR`], 1 − `P_FLOOR`).
    pub fn slope_per_proportion(self, p: f64) -> f64 {
        let p = p.clamp(P_FLOOR, 1.0 - P_FLOOR);
        match self {
            Scale::Logit => 1.0 / (p * (1.0 - p)),
            Scale::Log => 1.0 / p,
            Scale::Percent => 100.0,
            Scale::Angular => 0.5 / (p * (1.0 - p)).sqrt(),
        }
    }

    /// Variance on the model scale of a value with standard error `se_pct` (percent), by the
    /// delta method: logit: se² / (p(1−p))² on proportions; log: (se/value)²;
    /// angular: se² / (4 p(1−p)) on proportions (dθ/dp = 1 / (2√(p(1−p)))).
    pub fn delta_var(self, pct: f64, se_pct: f64) -> f64 {
        match self {
            Scale::Logit => {
                let p = (pct / 100.0).clamp(P_FLOOR, 1.0 - P_FLOOR);
                let s = se_pct / 100.0;
                s * s / (p * (1.0 - p)).powi(2)
            }
            Scale::Log => (se_pct / pct.max(P_FLOOR * 100.0)).powi(2),
            Scale::Percent => se_pct * se_pct,
            Scale::Angular => {
                let p = (pct / 100.0).clamp(P_FLOOR, 1.0 - P_FLOOR);
                let s = se_pct / 100.0;
                s * s / (4.0 * p * (1.0 - p))
            }
        }
    }
}

/// logit(p) = ln(p / (1 − p)).
pub fn logit(p: f64) -> f64 {
    (p / (1.0 - p)).ln()
}

/// Inverse logit 1 / (1 + e^(−x)).
pub fn expit(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Standard quantile: Normal when `df` is `None` (or infinite), Student t with `df` otherwise.
/// Quantiles are memoised per thread: a panel asks for the same few (q, df) pairs thousands of
/// times, and the t quantile is an iterative inversion.
pub fn std_quantile(q: f64, df: Option<f64>) -> f64 {
    use std::cell::RefCell;
    use std::collections::HashMap;
    thread_local! {
        static CACHE: RefCell<HashMap<(u64, u64), f64>> = RefCell::new(HashMap::new());
    }
    let key = (q.to_bits(), df.map_or(u64::MAX, f64::to_bits));
    if let Some(v) = CACHE.with(|c| c.borrow().get(&key).copied()) {
        return v;
    }
    let v = std_quantile_uncached(q, df);
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() < 4096 {
            c.insert(key, v);
        }
    });
    v
}

fn std_quantile_uncached(q: f64, df: Option<f64>) -> f64 {
    match df {
        Some(d) if d.is_finite() && d > 0.0 => match StudentsT::new(0.0, 1.0, d) {
            Ok(t) => t.inverse_cdf(q),
            Err(_) => f64::NAN,
        },
        _ => Normal::standard().inverse_cdf(q),
    }
}

/// Standard CDF: Normal when `df` is `None`, Student t with `df` otherwise.
pub fn std_cdf(x: f64, df: Option<f64>) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    match df {
        Some(d) if d.is_finite() && d > 0.0 => match StudentsT::new(0.0, 1.0, d) {
            Ok(t) => t.cdf(x),
            Err(_) => f64::NAN,
        },
        _ => Normal::standard().cdf(x),
    }
}

/// A predictive distribution `mu + sd · Z` on `scale`, Z standard Normal or t(df).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Predictive {
    /// Scale on which `mu` and `sd` are given.
    pub scale: Scale,
    /// Location μ on `scale`.
    pub mu: f64,
    /// Scale σ on `scale` (the standard deviation for a Normal).
    pub sd: f64,
    /// Degrees of freedom of the Student t; `None` for a Normal.
    pub df: Option<f64>,
}

/// Point forecast and central 80 % and 95 % intervals, in percent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Forecast {
    /// Year forecast.
    pub year: i32,
    /// Median (50 % quantile), in percent.
    pub median: f64,
    /// Lower bound of the central 80 % interval (10 % quantile), in percent.
    pub lo80: f64,
    /// Upper bound of the central 80 % interval (90 % quantile), in percent.
    pub hi80: f64,
    /// Lower bound of the central 95 % interval (2.5 % quantile), in percent.
    pub lo95: f64,
    /// Upper bound of the central 95 % interval (97.5 % quantile), in percent.
    pub hi95: f64,
}

impl Predictive {
    /// Quantile `q` back-transformed to percent (the percent scale is clipped to 0–100).
    pub fn quantile_pct(&self, q: f64) -> f64 {
        let v = self
            .scale
            .to_pct(self.mu + self.sd * std_quantile(q, self.df));
        match self.scale {
            Scale::Logit | Scale::Angular => v,
            _ => v.clamp(0.0, 100.0),
        }
    }

    /// P(value ≥ `pct`): 1 − F((g(pct) − mu) / sd), with g the scale's transform.
    pub fn prob_at_least(&self, pct: f64) -> f64 {
        let z = (self.scale.from_pct(pct) - self.mu) / self.sd;
        if self.sd == 0.0 {
            return if self.mu >= self.scale.from_pct(pct) {
                1.0
            } else {
                0.0
            };
        }
        1.0 - std_cdf(z, self.df)
    }

    /// The same distribution with extra variance `var` (e.g. the target-year survey error).
    pub fn widened(&self, var: f64) -> Predictive {
        Predictive {
            sd: (self.sd * self.sd + var).sqrt(),
            ..*self
        }
    }

    /// Median and central 80 % and 95 % intervals in percent, labelled with `year`.
    pub fn forecast(&self, year: i32) -> Forecast {
        Forecast {
            year,
            median: self.scale.to_pct(self.mu).clamp(0.0, 100.0),
            lo80: self.quantile_pct(0.10),
            hi80: self.quantile_pct(0.90),
            lo95: self.quantile_pct(0.025),
            hi95: self.quantile_pct(0.975),
        }
    }
}
