//! Taylor-linearised estimation of a proportion (Hájek ratio) for the whole population and
//! for domains, exactly as R `survey::svymean` / `svyby` on a `svydesign(ids, strata, weights,
//! fpc, nest = TRUE)` design (first-stage variance, "ultimate cluster").
//!
//! Formulas (proportions, not percent). For a domain with indicator d_i (1 for the total):
//!
//! * p̂_d = Σ w d y / Σ w d (Hájek ratio, `svymean`);
//! * linearised values z_i = w_i d_i (y_i − p̂_d) / Σ w d, summed by PSU: z_hj
//!   (zero outside the domain, so the whole design is kept, as `svyby` does on a subset design
//!   whose PSU counts n_h are those of the full design — R `onestrat` pads missing PSUs with
//!   zeros);
//! * V̂ = Σ_h f_h · n_h/(n_h − 1) · Σ_j (z_hj − z̄_h)², z̄_h = Σ_j z_hj / n_h, with
//!   f_h = 1 without fpc and f_h = (N_h − n_h)/N_h with N_h PSUs in the stratum's population
//!   (a stratum with f_h < 1e-7 is self-representing and contributes 0, as R);
//! * a stratum with one PSU (n_h = 1) follows `options(survey.lonely.psu)`: `fail` is an error,
//!   `certainty` and `remove` contribute 0 (R centres the single PSU total), `adjust` contributes
//!   f_h · z_h1² (centred at the grand mean, which is 0 for these linearised values);
//! * df = #PSU − #strata counting only PSUs with a nonzero weight in the domain (R `degf` on the
//!   subset design);
//! * deff = V̂ / V_srswor with V_srswor = n/(n−1) · p̂(1−p̂) · (Σw − n)/(Σw · n), n the rows with
//!   nonzero weight (`svymean(deff = TRUE)`; NaN when Σw < n, as R);
//! * n_eff = p̂(1 − p̂)/V̂.

use crate::error::survey::SurveyError;
use crate::error::{Error, Result};

/// Lonely-PSU policy, as R `options(survey.lonely.psu = …)` (`--lonely-psu`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LonelyPsu {
    /// Stop with an error naming the stratum (R's default "fail").
    #[default]
    Fail,
    /// Centre the lonely PSU at the grand mean (R "adjust").
    Adjust,
    /// Ignore the stratum's contribution (R "remove").
    Remove,
    /// Treat the lonely PSU as sampled with certainty: no contribution (R "certainty").
    Certainty,
}

impl LonelyPsu {
    /// The names of `--lonely-psu` and `lonely_psu` in design.toml.
    pub const NAMES: &'static [&'static str] = &["fail", "adjust", "remove", "certainty"];
}

impl std::str::FromStr for LonelyPsu {
    type Err = crate::error::UnknownName;

    /// Parses a `--lonely-psu` value (exactly): `fail`, `adjust`, `remove` or `certainty`.
    fn from_str(s: &str) -> std::result::Result<LonelyPsu, Self::Err> {
        Ok(match s {
            "fail" => LonelyPsu::Fail,
            "adjust" => LonelyPsu::Adjust,
            "remove" => LonelyPsu::Remove,
            "certainty" => LonelyPsu::Certainty,
            _ => return Err(crate::error::UnknownName::new(s, LonelyPsu::NAMES)),
        })
    }
}

/// A first-stage stratum of the full design.
#[derive(Debug, Clone, PartialEq)]
pub struct Stratum {
    /// Stratum label (for messages).
    pub name: String,
    /// Sampled PSUs in the full design (n_h), including PSUs whose rows all have weight 0.
    pub n_psu: usize,
    /// Finite population correction f_h = (N_h − n_h)/N_h, or 1 without fpc.
    pub fpc_factor: f64,
}

/// Weighted totals of one PSU within one domain, for one outcome.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PsuTotal {
    /// Index into the strata slice.
    pub stratum: usize,
    /// Σ w d over the PSU's rows.
    pub sum_w: f64,
    /// Σ w d y over the PSU's rows.
    pub sum_wy: f64,
    /// Rows of the domain in the PSU (any weight).
    pub n_rows: u64,
    /// Rows of the domain in the PSU with nonzero weight.
    pub n_nonzero: u64,
}

impl PsuTotal {
    /// One total per PSU from the (PSU, totals) pieces of a domain's cells (a PSU has one
    /// cell per post-stratum or raking cell): Σ of sum_w, sum_wy, n_rows and n_nonzero, in
    /// PSU order. An ordered map, so the sums run in one order and a run's output is the same
    /// to the last digit.
    pub fn per_psu<'a>(cells: impl IntoIterator<Item = (u32, &'a PsuTotal)>) -> Vec<PsuTotal> {
        let mut by_psu: std::collections::BTreeMap<u32, PsuTotal> = Default::default();
        for (psu, c) in cells {
            let t = by_psu.entry(psu).or_insert(PsuTotal {
                stratum: c.stratum,
                ..PsuTotal::default()
            });
            t.sum_w += c.sum_w;
            t.sum_wy += c.sum_wy;
            t.n_rows += c.n_rows;
            t.n_nonzero += c.n_nonzero;
        }
        by_psu.into_values().collect()
    }
}

/// The estimate of one domain (proportions).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProportionEstimate {
    /// Rows with nonzero weight.
    pub n: u64,
    /// All rows of the domain.
    pub n_rows: u64,
    /// Σw over the domain's rows.
    pub sum_weights: f64,
    /// p̂ (NaN for an empty domain).
    pub p: f64,
    /// V̂(p̂).
    pub var: f64,
    /// Design effect V̂ / V_srswor (`svymean(deff = TRUE)`; NaN when Σw < n).
    pub deff: f64,
    /// Effective sample size p̂(1 − p̂)/V̂.
    pub n_eff: f64,
    /// Design degrees of freedom of the domain.
    pub df: f64,
}

impl ProportionEstimate {
    /// Standard error √V̂(p̂) (proportion).
    pub fn se(&self) -> f64 {
        self.var.sqrt()
    }
}

/// Checks the lonely-PSU policy against the design: with `Fail`, any stratum with one PSU is an
/// error (R stops at the first variance computation that meets it, and the total always does).
pub fn check_lonely(strata: &[Stratum], lonely: LonelyPsu) -> Result<()> {
    if lonely == LonelyPsu::Fail {
        if let Some(s) = strata.iter().find(|s| s.n_psu == 1) {
            return Err(Error::Survey(SurveyError::LonelyPsu {
                stratum: s.name.clone(),
            }));
        }
    }
    Ok(())
}

/// Estimates a proportion for one domain from its PSU totals (any order; `psus` is sorted
/// in place by stratum). `strata` describes the full design. See the module doc for formulas.
///
/// ```
/// use litmon::survey::taylor::{estimate, LonelyPsu, PsuTotal, Stratum};
/// let strata = vec![Stratum { name: "A".into(), n_psu: 2, fpc_factor: 1.0 }];
/// let mut psus = vec![
///     PsuTotal { stratum: 0, sum_w: 10.0, sum_wy: 2.0, n_rows: 10, n_nonzero: 10 },
///     PsuTotal { stratum: 0, sum_w: 10.0, sum_wy: 4.0, n_rows: 10, n_nonzero: 10 },
/// ];
/// let e = estimate(&mut psus, &strata, LonelyPsu::Fail);
/// assert!((e.p - 0.3).abs() < 1e-15);
/// // z = ±0.05, centred; n_h/(n_h−1) = 2: V = 2 · 2 · 0.05² = 0.01.
/// assert!((e.var - 0.01).abs() < 1e-15);
/// assert_eq!(e.df, 1.0);
/// ```
pub fn estimate(
    psus: &mut [PsuTotal],
    strata: &[Stratum],
    lonely: LonelyPsu,
) -> ProportionEstimate {
    let mut sum_w = 0.0;
    let mut sum_wy = 0.0;
    for t in psus.iter() {
        sum_w += t.sum_w;
        sum_wy += t.sum_wy;
    }
    let p = if sum_w > 0.0 {
        sum_wy / sum_w
    } else {
        f64::NAN
    };
    let mut z: Vec<(usize, f64)> = psus
        .iter()
        .map(|t| (t.stratum, (t.sum_wy - p * t.sum_w) / sum_w))
        .collect();
    let var = if sum_w > 0.0 {
        linearised_variance(&mut z, strata, lonely)
    } else {
        f64::NAN
    };
    finish(psus, sum_w, p, var)
}

/// Counts, df and deff of a domain from its PSU totals, given p̂ and V̂ (shared by the plain and
/// the calibrated estimators; `sum_w` is the domain's weight total, calibrated or not).
pub fn finish(psus: &mut [PsuTotal], sum_w: f64, p: f64, var: f64) -> ProportionEstimate {
    psus.sort_unstable_by_key(|t| t.stratum);
    let mut n = 0u64;
    let mut n_rows = 0u64;
    let mut n_psu_in = 0usize;
    let mut n_strata_in = 0usize;
    let mut last_stratum = usize::MAX;
    for t in psus.iter() {
        n += t.n_nonzero;
        n_rows += t.n_rows;
        if t.n_nonzero > 0 {
            n_psu_in += 1;
            if t.stratum != last_stratum {
                n_strata_in += 1;
                last_stratum = t.stratum;
            }
        }
    }
    let df = n_psu_in as f64 - n_strata_in as f64;
    let nf = n as f64;
    let v_srs = if sum_w < nf {
        f64::NAN
    } else {
        nf / (nf - 1.0) * p * (1.0 - p) * (sum_w - nf) / (sum_w * nf)
    };
    ProportionEstimate {
        n,
        n_rows,
        sum_weights: sum_w,
        p,
        var,
        deff: var / v_srs,
        n_eff: p * (1.0 - p) / var,
        df,
    }
}

/// V̂ = Σ_h f_h · n_h/(n_h − 1) · Σ_j (z_hj − z̄_h)² from the linearised PSU totals z_hj given
/// as (stratum, z) pairs (any order; sorted in place). PSUs of the full design that are absent
/// count as z = 0 (R `onestrat` pads them); lonely PSUs follow `lonely` (module doc).
pub fn linearised_variance(z: &mut [(usize, f64)], strata: &[Stratum], lonely: LonelyPsu) -> f64 {
    z.sort_unstable_by_key(|t| t.0);
    let mut var = 0.0;
    let mut i = 0;
    while i < z.len() {
        let h = z[i].0;
        let mut j = i;
        while j < z.len() && z[j].0 == h {
            j += 1;
        }
        var += stratum_variance(&z[i..j], &strata[h], lonely);
        i = j;
    }
    var
}

/// One stratum's contribution f_h · n_h/(n_h − 1) · Σ_j (z_hj − z̄_h)², the PSUs of the full
/// design that are absent from `group` counting as z = 0 (R `onestrat`).
fn stratum_variance(group: &[(usize, f64)], stratum: &Stratum, lonely: LonelyPsu) -> f64 {
    let f = stratum.fpc_factor;
    if f < 1e-7 {
        return 0.0;
    }
    let nh = stratum.n_psu.max(group.len());
    if nh == 1 {
        return match lonely {
            LonelyPsu::Adjust => f * group[0].1.powi(2),
            LonelyPsu::Remove | LonelyPsu::Certainty | LonelyPsu::Fail => 0.0,
        };
    }
    let nhf = nh as f64;
    let mean = group.iter().map(|t| t.1).sum::<f64>() / nhf;
    let absent = (nh - group.len()) as f64;
    let ss = group.iter().map(|t| (t.1 - mean).powi(2)).sum::<f64>() + absent * mean * mean;
    f * nhf / (nhf - 1.0) * ss
}
