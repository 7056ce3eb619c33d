//! Confidence intervals for a design-based proportion, as R `survey::svyciprop`.
//!
//! Everything here works on proportions in [0, 1]; percent is applied only at the output edge.
//! `t_q = qt(1 − α/2, df)` with the design degrees of freedom `df` (`degf()` of the domain's
//! design, as `svyciprop(df = degf(design))`); with `df ≤ 0` every bound is NaN, as R.

use statrs::distribution::{Beta, ContinuousCDF, StudentsT};

/// Interval methods (`--ci`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CiMethod {
    /// `svyciprop(method = "logit")`: Wald interval for the intercept of a quasibinomial
    /// `svyglm`, i.e. expit(logit p̂ ± t_q · se / (p̂(1 − p̂))). The default.
    #[default]
    Logit,
    /// `svyciprop(method = "xlogit")`: the same transform through `svycontrast` (delta method);
    /// numerically equal to `Logit` (R's differ only by the IRLS convergence, ~1e-11).
    Xlogit,
    /// `svyciprop(method = "beta")`, Korn–Graubard (1998): Clopper–Pearson on the effective
    /// sample size n* = p̂(1 − p̂)/V̂ · (qt(α/2, n − 1)/qt(α/2, df))², with n the domain's rows.
    Beta,
    /// Wilson score interval on n_eff = p̂(1 − p̂)/V̂ with z = t_q (not in R `survey`).
    Wilson,
    /// Clopper–Pearson on n_eff = p̂(1 − p̂)/V̂ without the df adjustment (not in R `survey`):
    /// [qbeta(α/2, n_eff p̂, n_eff(1 − p̂) + 1), qbeta(1 − α/2, n_eff p̂ + 1, n_eff(1 − p̂))].
    ClopperPearson,
    /// `svyciprop(method = "asin")`: sin²(asin √p̂ ± t_q · se / (2√(p̂(1 − p̂)))), as R (no clamping).
    Asin,
}

impl CiMethod {
    /// Every method, in declaration order.
    pub const ALL: [CiMethod; 6] = [
        CiMethod::Logit,
        CiMethod::Xlogit,
        CiMethod::Beta,
        CiMethod::Wilson,
        CiMethod::ClopperPearson,
        CiMethod::Asin,
    ];

    /// The canonical `--ci` names, in declaration order (`korn-graubard` and `cp` parse too).
    pub const NAMES: &'static [&'static str] = &[
        "logit",
        "xlogit",
        "beta",
        "wilson",
        "clopper-pearson",
        "asin",
    ];

    /// The canonical `--ci` name (`logit`, `xlogit`, `beta`, `wilson`, `clopper-pearson`, `asin`).
    pub fn as_str(self) -> &'static str {
        match self {
            CiMethod::Logit => "logit",
            CiMethod::Xlogit => "xlogit",
            CiMethod::Beta => "beta",
            CiMethod::Wilson => "wilson",
            CiMethod::ClopperPearson => "clopper-pearson",
            CiMethod::Asin => "asin",
        }
    }
}

impl std::str::FromStr for CiMethod {
    type Err = crate::error::UnknownName;

    /// Parses the `--ci` value (exactly; also `korn-graubard` for beta, `cp` for clopper-pearson).
    fn from_str(s: &str) -> std::result::Result<CiMethod, Self::Err> {
        Ok(match s {
            "logit" => CiMethod::Logit,
            "xlogit" => CiMethod::Xlogit,
            "beta" | "korn-graubard" => CiMethod::Beta,
            "wilson" => CiMethod::Wilson,
            "clopper-pearson" | "cp" => CiMethod::ClopperPearson,
            "asin" => CiMethod::Asin,
            _ => return Err(crate::error::UnknownName::new(s, CiMethod::NAMES)),
        })
    }
}

/// What an interval is computed from (proportions, not percent).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IntervalInput {
    /// p̂ in [0, 1].
    pub p: f64,
    /// Linearised variance V̂ of p̂.
    pub var: f64,
    /// Design degrees of freedom (may be ≤ 0).
    pub df: f64,
    /// Rows in the domain (R's `nrow(design)` of the subset design, used by Korn–Graubard).
    pub n_rows: f64,
    /// Rows with nonzero weight (used for the exact bound when p̂ is 0 or 1).
    pub n: f64,
}

/// A two-sided interval on the proportion scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Lower bound (proportion).
    pub lo: f64,
    /// Upper bound (proportion).
    pub hi: f64,
    /// True when p̂ is 0 or 1 and the degenerate rule was used (see [`interval`]).
    pub degenerate: bool,
}

/// The interval of `method` at `level` (e.g. 0.95).
///
/// Degenerate cells (DESIGN): `df ≤ 0` → NaN bounds; V̂ = 0 with 0 < p̂ < 1 → [p̂, p̂] (as R: `qt(·, df ≤ 0)` is NaN);
/// p̂ = 0 or 1 → n_eff is undefined, so the bound on the open side is the exact
/// Clopper–Pearson bound on the domain's n (nonzero weights) and the closed side is 0 or 1:
/// p̂ = 0 → [0, 1 − (α/2)^(1/n)], p̂ = 1 → [(α/2)^(1/n), 1].
///
/// ```
/// use litmon::survey::ci::{interval, CiMethod, IntervalInput};
/// let x = IntervalInput { p: 0.25, var: 0.0004, df: 30.0, n_rows: 500.0, n: 500.0 };
/// let ci = interval(CiMethod::Logit, &x, 0.95);
/// assert!(ci.lo < 0.25 && 0.25 < ci.hi);
/// ```
pub fn interval(method: CiMethod, x: &IntervalInput, level: f64) -> Interval {
    let alpha = 1.0 - level;
    let nan = Interval {
        lo: f64::NAN,
        hi: f64::NAN,
        degenerate: false,
    };
    if !(x.df > 0.0) || !x.p.is_finite() || !x.var.is_finite() {
        return nan;
    }
    let p = x.p;
    if p <= 0.0 || p >= 1.0 {
        if !(x.n >= 1.0) {
            return nan;
        }
        let open = (alpha / 2.0).powf(1.0 / x.n);
        let (lo, hi) = if p <= 0.0 {
            (0.0, 1.0 - open)
        } else {
            (open, 1.0)
        };
        return Interval {
            lo,
            hi,
            degenerate: true,
        };
    }
    if x.var == 0.0 {
        // No sampling error (e.g. a self-representing stratum, fpc = n): every method's limit
        // as n_eff → ∞ is [p̂, p̂] (R's beta gives qbeta(·, Inf, Inf) = 0.5 there).
        return Interval {
            lo: p,
            hi: p,
            degenerate: false,
        };
    }
    let se = x.var.sqrt();
    let tq = qt(1.0 - alpha / 2.0, x.df);
    let (lo, hi) = match method {
        CiMethod::Logit | CiMethod::Xlogit => {
            let l = (p / (1.0 - p)).ln();
            let s = se / (p * (1.0 - p));
            (expit(l - tq * s), expit(l + tq * s))
        }
        CiMethod::Asin => {
            let a = p.sqrt().asin();
            let s = se / (2.0 * (p * (1.0 - p)).sqrt());
            ((a - tq * s).sin().powi(2), (a + tq * s).sin().powi(2))
        }
        CiMethod::Beta => {
            let ratio = qt(alpha / 2.0, x.n_rows - 1.0) / qt(alpha / 2.0, x.df);
            let n_eff = p * (1.0 - p) / x.var * ratio * ratio;
            clopper_pearson(p, n_eff, alpha)
        }
        CiMethod::ClopperPearson => clopper_pearson(p, p * (1.0 - p) / x.var, alpha),
        CiMethod::Wilson => {
            let n = p * (1.0 - p) / x.var;
            let z2 = tq * tq;
            let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
            let half = tq / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
            (centre - half, centre + half)
        }
    };
    Interval {
        lo,
        hi,
        degenerate: false,
    }
}

/// Clopper–Pearson bounds on a (possibly fractional) sample size `n`:
/// [qbeta(α/2, n p̂, n(1 − p̂) + 1), qbeta(1 − α/2, n p̂ + 1, n(1 − p̂))], as in
/// `svyciprop(method = "beta")`.
pub fn clopper_pearson(p: f64, n: f64, alpha: f64) -> (f64, f64) {
    if !(n > 0.0) || !n.is_finite() {
        return (f64::NAN, f64::NAN);
    }
    (
        qbeta(alpha / 2.0, n * p, n * (1.0 - p) + 1.0),
        qbeta(1.0 - alpha / 2.0, n * p + 1.0, n * (1.0 - p)),
    )
}

/// Inverse logit 1 / (1 + e^(−x)).
pub fn expit(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Student t quantile `qt(q, df)`; NaN when df ≤ 0 (as R). statrs' inverse is polished by
/// Newton steps on the CDF so that it agrees with R to ~1e-12.
pub fn qt(q: f64, df: f64) -> f64 {
    if !(df > 0.0) || !(0.0..=1.0).contains(&q) {
        return f64::NAN;
    }
    let Ok(t) = StudentsT::new(0.0, 1.0, df) else {
        return f64::NAN;
    };
    let mut x = t.inverse_cdf(q);
    for _ in 0..4 {
        let d = statrs::distribution::Continuous::pdf(&t, x);
        if !(d > 0.0) || !x.is_finite() {
            break;
        }
        let step = (t.cdf(x) - q) / d;
        x -= step;
        if step.abs() <= 1e-15 * x.abs().max(1e-300) {
            break;
        }
    }
    x
}

/// Beta quantile `qbeta(q, a, b)`, to ~1e-15 relative even for tiny quantiles (Korn–Graubard
/// bounds with small df reach 1e-50): safeguarded Newton steps on ln x, solving the upper half
/// through the mirror qbeta(q, a, b) = 1 − qbeta(1 − q, b, a).
pub fn qbeta(q: f64, a: f64, b: f64) -> f64 {
    if !(a > 0.0 && b > 0.0) || !(0.0..=1.0).contains(&q) {
        return f64::NAN;
    }
    if q == 0.0 {
        return 0.0;
    }
    if q == 1.0 {
        return 1.0;
    }
    if a + b > 1e10 {
        // n_eff this large means V̂ is roundoff around 0; the incomplete beta function would
        // need ~√(a+b) iterations. The Normal approximation is exact to ~sd/√(a+b) here.
        let s = a + b;
        let sd = (a * b / (s * s * (s + 1.0))).sqrt();
        let z = statrs::distribution::Normal::standard().inverse_cdf(q);
        return (a / s + z * sd).clamp(0.0, 1.0);
    }
    if a + b > 1e5 {
        // statrs' inverse (inv_beta_reg) can run for minutes on such parameters (found by
        // fuzzing: qbeta(0.025, 1.01, 7.4e6)); the bracketed Newton solver below is bounded
        // (400 steps) and starts from the small-x asymptotics, on the half of the mean.
        if a / (a + b) > 0.5 {
            return 1.0 - qbeta_lower(1.0 - q, b, a, 0.0);
        }
        return qbeta_lower(q, a, b, 0.0);
    }
    let Ok(dist) = Beta::new(a, b) else {
        return f64::NAN;
    };
    let x0 = dist.inverse_cdf(q);
    if x0 > 0.5 && x0 < 1.0 {
        return 1.0 - qbeta_lower(1.0 - q, b, a, 1.0 - x0);
    }
    qbeta_lower(q, a, b, x0)
}

/// Solves I_x(a, b) = q for x ≤ ~0.5 by Newton on u = ln x, bracketed.
fn qbeta_lower(q: f64, a: f64, b: f64, x0: f64) -> f64 {
    let Ok(dist) = Beta::new(a, b) else {
        return f64::NAN;
    };
    // Small-x asymptotics I_x(a, b) ≈ x^a / (a B(a, b)) when the inverse is not usable.
    let guess = ((q.ln() + a.ln() + statrs::function::beta::ln_beta(a, b)) / a).exp();
    let x = if x0 > 1e-10 && x0 < 1.0 {
        x0
    } else {
        guess.min(0.5)
    };
    let (mut lo, mut hi) = (f64::NEG_INFINITY, 0.0_f64);
    let mut u = x.ln();
    for _ in 0..400 {
        let x = u.exp();
        let f = dist.cdf(x) - q;
        if f == 0.0 {
            return x;
        }
        if f > 0.0 {
            hi = u;
        } else {
            lo = u;
        }
        let d = statrs::distribution::Continuous::pdf(&dist, x) * x;
        let mut next = u - f / d;
        if !(d > 0.0) || !next.is_finite() || next <= lo || next >= hi {
            next = if lo.is_finite() {
                0.5 * (lo + hi)
            } else {
                hi.min(u) - 4.0
            };
        }
        if (next - u).abs() <= 1e-15 {
            return next.exp();
        }
        u = next;
    }
    u.exp()
}
