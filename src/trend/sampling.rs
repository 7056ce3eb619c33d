//! Survey sampling error given to a published value without a standard error: the national
//! survey's typical sample per unit of each administrative level in that year (one table,
//! README), its
//! variance 1/(4n) on the angular scale, and the conversion of angular-scale constants to
//! another model scale.

use super::dist::Scale;
use crate::model::Level;

/// Level at which constants stated on the angular scale are converted to another scale:
/// p = 10 %, about the national level of 2020.
pub const P_REF: f64 = 0.10;

/// (dg/dθ)² at [`P_REF`]: the factor that turns a variance on the angular scale θ into one on
/// scale g near 10 %. dp/dθ = 2√(p(1−p)); logit: dg/dp = 1/(p(1−p)), so (dg/dθ)² =
/// 4/(p(1−p)) = 44.4; angular: 1.
pub fn unit_var(scale: Scale) -> f64 {
    let q = P_REF * (1.0 - P_REF);
    let dp = 2.0 * q.sqrt();
    let dg = match scale {
        Scale::Angular => return 1.0,
        Scale::Logit => 1.0 / q,
        Scale::Log => 1.0 / P_REF,
        Scale::Percent => 100.0,
    };
    (dg * dp).powi(2)
}

/// Valid respondents of the national surveys whose counts are published (year, n): 8,474
/// (2003), 68,416 (2010), 309,800 (2020), 289,000 (2023) (`shared/data/national.csv`).
pub const NATIONAL_SAMPLES: [(i32, f64); 4] = [
    (2003, 8_474.0),
    (2010, 68_416.0),
    (2020, 309_800.0),
    (2023, 289_000.0),
];

/// The first national survey that covered every prefecture-level unit (419: 333 prefecture
/// units and the 86 districts and counties of the four municipalities), 2020
/// (`shared/data/national.csv`). Before it a city's published figure came from its own
/// survey, of unknown size.
pub const FULL_COVERAGE_YEAR: i32 = 2020;

/// Prefecture-level units of the national survey.
pub const PREFECTURE_UNITS: f64 = 419.0;
/// County-level units of China.
pub const COUNTY_UNITS: f64 = 2_844.0;
/// Provinces of the national survey (31 provincial-level units).
pub const PROVINCE_UNITS: f64 = 31.0;

/// Respondents of the national survey of `year`: the latest published count at or before it
/// ([`NATIONAL_SAMPLES`]; before 2003 the 2003 count, the surveys of 1996 and 2001 being of
/// that size or smaller).
pub fn national_sample(year: i32) -> f64 {
    NATIONAL_SAMPLES
        .iter()
        .rev()
        .find(|(y, _)| *y <= year)
        .unwrap_or(&NATIONAL_SAMPLES[0])
        .1
}

/// The typical number of respondents behind a published value of one unit of `level` in
/// `year`, used when a value comes without standard error, interval or sample size: the
/// national survey of that year ([`national_sample`]) spread over the units of the level —
///
/// | level | respondents | 2010–2019 | 2020–2022 | since 2023 |
/// |---|---|---|---|---|
/// | national | n | 68,416 | 309,800 | 289,000 |
/// | province | n / 31 | 2,207 | 9,994 | 9,323 |
/// | prefecture | n / 419 | (as 2020) | 739 | 690 |
/// | county | n / 2,844 | (as 2020) | 109 | 102 |
///
/// (before 2010: 8,474 and 273 per province). A prefecture's or county's figure from before
/// [`FULL_COVERAGE_YEAR`] takes the 2020 design: the national survey did not yet cover every
/// such unit, and a city's own survey is taken to be of about the size the national survey
/// later gave it.
pub fn default_sample_size(level: Level, year: i32) -> f64 {
    let local = national_sample(year.max(FULL_COVERAGE_YEAR));
    match level {
        Level::National => national_sample(year),
        Level::Province => national_sample(year) / PROVINCE_UNITS,
        Level::Prefecture => local / PREFECTURE_UNITS,
        Level::County => local / COUNTY_UNITS,
    }
}

/// The level a series stands for: its own, else its depth in the registry (0 nation, 1
/// province, 2 prefecture, 3 or more county).
pub fn level_or_depth(level: Option<Level>, depth: usize) -> Level {
    level.unwrap_or(match depth {
        0 => Level::National,
        1 => Level::Province,
        2 => Level::Prefecture,
        _ => Level::County,
    })
}

/// Sampling variance on the angular scale given to a value of `year` published without a
/// standard error: 1/(4n) — the angular variance of a proportion from n respondents,
/// whatever p (Anscombe 1948) — with n the national survey's typical sample of one unit at
/// that level ([`default_sample_size`]): since 2023, 8.7·10⁻⁷ rad² for the nation, 2.7·10⁻⁵
/// for a province, 3.6·10⁻⁴ for a prefecture, 2.5·10⁻³ for a county; in 2010–2019 a
/// province's is 1.1·10⁻⁴. No published figure is an exact anchor; supply a value's standard
/// error to replace the imputed one.
pub fn imputed_sampling_var(level: Level, year: i32) -> f64 {
    1.0 / (4.0 * default_sample_size(level, year))
}

/// Sampling variance on scale `s` of a value `pct` from `n` respondents: 1/(4n) on the
/// angular scale, else the delta-method variance of the binomial standard error
/// 100·√(p(1−p)/n) percentage points.
pub(crate) fn missing_var_on(s: Scale, pct: f64, n: f64) -> f64 {
    match s {
        Scale::Angular => 1.0 / (4.0 * n),
        _ => {
            let p = (pct / 100.0).clamp(super::dist::P_FLOOR, 1.0 - super::dist::P_FLOOR);
            s.delta_var(pct, 100.0 * (p * (1.0 - p) / n).sqrt())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value without se from n respondents: angular 1/(4n) exactly; logit by the delta
    /// method, se² /(p(1−p))² with se² = p(1−p)/n, i.e. 1/(n·p(1−p)): n = 1000, p = 0.1 →
    /// 1/90 = 0.011111. unit_var(logit) = (dlogit/dθ)² at 10 % = 4/(0.1·0.9) = 44.444.
    /// The published counts by year: 2015 takes 2010's 68,416, 2001 the 2003 count, 2025
    /// the 2023 count; a province's share is n/31 (68,416/31 = 2,206.97); a prefecture's
    /// before 2020 takes the 2020 design, 309,800/419 = 739.38.
    #[test]
    fn sample_sizes_follow_the_published_counts() {
        assert_eq!(national_sample(2015), 68_416.0);
        assert_eq!(national_sample(2001), 8_474.0);
        assert_eq!(national_sample(2025), 289_000.0);
        assert_eq!(national_sample(2021), 309_800.0);
        assert!((default_sample_size(Level::Province, 2018) - 2_206.967_741_935).abs() < 1e-6);
        assert!((default_sample_size(Level::Prefecture, 2015) - 739.379_474_940).abs() < 1e-6);
        assert!((default_sample_size(Level::County, 2024) - 101.617_440_225).abs() < 1e-6);
        assert_eq!(
            imputed_sampling_var(Level::National, 2010),
            1.0 / (4.0 * 68_416.0)
        );
    }

    #[test]
    fn sampling_variance_and_unit_conversion_by_hand() {
        assert_eq!(missing_var_on(Scale::Angular, 10.0, 1000.0), 1.0 / 4000.0);
        assert!((missing_var_on(Scale::Logit, 10.0, 1000.0) - 1.0 / 90.0).abs() < 1e-12);
        assert_eq!(unit_var(Scale::Angular), 1.0);
        assert!((unit_var(Scale::Logit) - 4.0 / 0.09).abs() < 1e-9);
    }
}
