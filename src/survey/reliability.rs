//! Reliability of a proportion, by the NCHS Data Presentation Standards for Proportions
//! (Parker et al. 2017, Vital Health Stat 2(175)).
//!
//! Suppress when n < 30, or the effective sample size n_eff < 30 (n_eff = p̂(1−p̂)/V̂, capped
//! at n as NCHS does when deff < 1; n itself when p̂ is 0 or 1), or the Korn–Graubard interval
//! is undefined or 30 points wide or more, or wider than 5 points with a relative width
//! (width / p̂) above 130 %. Otherwise present, flagged for statistical review when the
//! design degrees of freedom are fewer than 8.

use crate::survey::ci::Interval;
use crate::survey::taylor::ProportionEstimate;

/// The verdict for one domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reliability {
    /// Meets the standard.
    Present,
    /// Meets the standard but df < 8: present with a flag.
    PresentLowDf,
    /// Does not meet the standard: do not publish.
    Suppress,
}

impl Reliability {
    /// The name written in the `reliability` column: `present`, `present_low_df` or `suppress`.
    pub fn as_str(self) -> &'static str {
        match self {
            Reliability::Present => "present",
            Reliability::PresentLowDf => "present_low_df",
            Reliability::Suppress => "suppress",
        }
    }
}

/// Applies the NCHS rule to an estimate and its Korn–Graubard (`beta`) interval.
///
/// ```
/// use litmon::survey::ci::Interval;
/// use litmon::survey::reliability::{nchs, Reliability};
/// use litmon::survey::taylor::ProportionEstimate;
/// let e = ProportionEstimate { n: 800, n_rows: 800, sum_weights: 1e6, p: 0.2, var: 1e-4,
///     deff: 1.3, n_eff: 1600.0, df: 40.0 };
/// let kg = Interval { lo: 0.18, hi: 0.22, degenerate: false };
/// assert_eq!(nchs(&e, &kg), Reliability::Present);
/// ```
pub fn nchs(e: &ProportionEstimate, kg: &Interval) -> Reliability {
    let n = e.n as f64;
    if !(e.p.is_finite()) || n < 30.0 {
        return Reliability::Suppress;
    }
    let n_eff = if e.p <= 0.0 || e.p >= 1.0 {
        n
    } else {
        e.n_eff.min(n)
    };
    if !(n_eff >= 30.0) {
        return Reliability::Suppress;
    }
    let width = kg.hi - kg.lo;
    if !width.is_finite() || width >= 0.30 {
        return Reliability::Suppress;
    }
    if width > 0.05 && (e.p <= 0.0 || width / e.p > 1.30) {
        return Reliability::Suppress;
    }
    if e.df < 8.0 {
        Reliability::PresentLowDf
    } else {
        Reliability::Present
    }
}
