//! Published observations of an indicator and their survey standard errors.

use crate::error::Location;
use crate::model::Level;

/// One observed value of an indicator for a jurisdiction and year.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// Jurisdiction id.
    pub jurisdiction: String,
    /// Indicator id.
    pub indicator: String,
    /// Survey year the value refers to.
    pub year: i32,
    /// Percent for `pct` indicators; the amount in the year for annual/cumulative kinds.
    pub value: f64,
    /// Standard error, same unit as `value`.
    pub se: Option<f64>,
    /// Sample size (or effective sample size).
    pub n: Option<f64>,
    /// Design effect of the survey behind the value (optional `deff` column): the variance
    /// relative to a simple random sample of the same size; with `n` it gives the standard error.
    pub deff: Option<f64>,
    /// A 95 % confidence interval (lower, upper) in the value's unit (optional `lo`, `hi`
    /// columns), used for the standard error when `se` is not given.
    pub ci95: Option<[f64; 2]>,
    /// Page the figure was read from (a URL, for the traceability table).
    pub source: String,
    /// Citation of the original publisher and release (optional `cite` column, e.g.
    /// 「中国科协 第十三次中国公民科学素质抽样调查 2023-11」): how reports credit the figure.
    pub cite: Option<String>,
    /// Where the row was read (the value's cell).
    pub origin: Location,
    /// Label of the jurisdiction column in the source, e.g. `1 (jurisdiction)`.
    pub jurisdiction_column: String,
    /// Label of the standard-error column in the source, e.g. `5 (se)` (empty without one).
    pub se_column: String,
}

impl Observation {
    /// A published value of `indicator` (e.g. [`LITERACY_RATE`](crate::model::LITERACY_RATE), in percent) for a
    /// jurisdiction (its code) and year, without standard error or sample size.
    pub fn new(jurisdiction: &str, indicator: &str, year: i32, value: f64) -> Self {
        let origin = Location::at(format!("observation of {jurisdiction} {year}"), 1);
        Observation::read_at(jurisdiction, indicator, year, value, origin)
    }

    /// A value read at `origin` (its cell), without standard error, sample size, source or
    /// citation; the jurisdiction column is labelled `jurisdiction`.
    pub fn read_at(
        jurisdiction: &str,
        indicator: &str,
        year: i32,
        value: f64,
        origin: Location,
    ) -> Self {
        Observation {
            jurisdiction: jurisdiction.to_string(),
            indicator: indicator.to_string(),
            year,
            value,
            se: None,
            n: None,
            deff: None,
            ci95: None,
            source: String::new(),
            cite: None,
            origin,
            jurisdiction_column: "jurisdiction".to_string(),
            se_column: String::new(),
        }
    }

    /// The observation with a standard error (same unit as the value).
    pub fn with_se(mut self, se: f64) -> Self {
        self.se = Some(se);
        self.se_column = "se".to_string();
        self
    }

    /// The survey standard error of a percentage, in percentage points, and where it comes
    /// from: the stated `se`; else a stated 95 % interval, (hi − lo)/(2·1.959964) (exact for
    /// a symmetric interval; an asymmetric one, e.g. logit, gives its average half-width);
    /// else the sample size, 100·√(p(1 − p)·deff/n) with p = value/100 — the binomial
    /// variance times the design effect (`deff`, default [`DEFAULT_DEFF`]). `None` when none
    /// of these is given (the level default of the assessment then applies). An `se` of 0 (a
    /// design without variance, or "unknown" written as 0) counts as not given.
    pub fn survey_se(&self) -> Option<(f64, SeSource)> {
        if let Some(se) = self.se.filter(|s| *s > 0.0) {
            return Some((se, SeSource::Stated));
        }
        if let Some([lo, hi]) = self.ci95 {
            return Some(((hi - lo) / (2.0 * Z_975), SeSource::Interval));
        }
        let n = self.n.filter(|n| *n > 0.0)?;
        let deff = self.deff.unwrap_or(DEFAULT_DEFF);
        Some((
            binomial_se_pct(self.value, n, deff),
            SeSource::SampleSize { n, deff },
        ))
    }
}

/// The 97.5 % quantile of the standard Normal, z such that Φ(z) = 0.975.
pub const Z_975: f64 = 1.959_963_984_540_054;

/// The design effect assumed when a sample size is given without one: 1, the simple random
/// sample. The national survey publishes no design effect; give `deff` for a clustered design
/// (typically 1.5–3), which widens every interval by √deff.
pub const DEFAULT_DEFF: f64 = 1.0;

/// Standard error in percentage points of a percentage `value_pct` estimated from `n`
/// respondents with design effect `deff`: 100·√(p(1 − p)·deff/n), p = value_pct/100.
///
/// ```
/// // 15.1 % from 1,000 respondents, simple random sample: 100·√(0.151·0.849/1000) = 1.13225
/// let se = litmon::model::binomial_se_pct(15.1, 1000.0, 1.0);
/// assert!((se - 1.132_249_97).abs() < 1e-6);
/// ```
pub fn binomial_se_pct(value_pct: f64, n: f64, deff: f64) -> f64 {
    let p = (value_pct / 100.0).clamp(0.0, 1.0);
    100.0 * (p * (1.0 - p) * deff / n).sqrt()
}

/// The number of respondents a standard error implies for a percentage under simple random
/// sampling, n = p(1 − p)/(se/100)² with p = value_pct/100 (infinite for se = 0).
pub fn implied_sample_size(value_pct: f64, se_pct: f64) -> f64 {
    let p = value_pct / 100.0;
    let s = se_pct / 100.0;
    p * (1.0 - p) / (s * s)
}

/// Where the standard error of a measured value comes from (stated in the `assess` reason).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SeSource {
    /// The `se` column.
    Stated,
    /// The 95 % interval of the `lo`, `hi` columns.
    Interval,
    /// The sample size and design effect: binomial × deff.
    SampleSize {
        /// Respondents.
        n: f64,
        /// Design effect used (stated, or [`DEFAULT_DEFF`]).
        deff: f64,
    },
    /// Nothing given: the typical sample of one unit of the place's level in the national
    /// survey (binomial × [`DEFAULT_DEFF`]).
    LevelDefault {
        /// The place's level.
        level: Level,
        /// The typical sample size used.
        n: f64,
    },
}
