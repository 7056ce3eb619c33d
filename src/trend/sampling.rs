//! Survey sampling error given to a published value without a standard error: the national
//! survey's typical sample per unit of each administrative level (one table, README), its
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

/// Respondents of the national survey (about 300,000 a year, DESIGN) and the units it is
/// spread over: 419 prefecture-level units, 2,844 county-level units.
pub const NATIONAL_SAMPLE: f64 = 300_000.0;
/// Prefecture-level units of the national survey.
pub const PREFECTURE_UNITS: f64 = 419.0;
/// County-level units of China.
pub const COUNTY_UNITS: f64 = 2_844.0;
/// Provinces of the national survey (31 provincial-level units).
pub const PROVINCE_UNITS: f64 = 31.0;

/// The typical number of respondents behind a published value of one unit of `level` in the
/// national survey, used when a value comes without standard error, interval or sample size:
///
/// | level | respondents |
/// |---|---|
/// | national | 300,000 |
/// | province | 300,000 / 31 ≈ 9,677 |
/// | prefecture | 300,000 / 419 ≈ 716 |
/// | county | 300,000 / 2,844 ≈ 105 |
pub fn default_sample_size(level: Level) -> f64 {
    match level {
        Level::National => NATIONAL_SAMPLE,
        Level::Province => NATIONAL_SAMPLE / PROVINCE_UNITS,
        Level::Prefecture => NATIONAL_SAMPLE / PREFECTURE_UNITS,
        Level::County => NATIONAL_SAMPLE / COUNTY_UNITS,
    }
}

/// Sampling variance on the angular scale given to a value published without a standard
/// error: 1/(4n) — the angular variance of a proportion from n respondents, whatever p
/// (Anscombe 1948) — with n the national survey's typical sample of one unit at that level
/// ([`default_sample_size`]): 300,000 for the nation (8.3·10⁻⁷ rad²), ≈ 9,677 for a
/// province (2.6·10⁻⁵), ≈ 716 for a prefecture (3.5·10⁻⁴), ≈ 105 for a county (2.4·10⁻³).
/// No published figure is an exact anchor; supply a value's standard error to replace the
/// imputed one. When the level is not known, the depth in the registry stands for it
/// (0 nation, 1 province, 2 prefecture, 3 or more county).
pub fn imputed_sampling_var(level: Option<Level>, depth: usize) -> f64 {
    let level = level.unwrap_or(match depth {
        0 => Level::National,
        1 => Level::Province,
        2 => Level::Prefecture,
        _ => Level::County,
    });
    1.0 / (4.0 * default_sample_size(level))
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
    #[test]
    fn sampling_variance_and_unit_conversion_by_hand() {
        assert_eq!(missing_var_on(Scale::Angular, 10.0, 1000.0), 1.0 / 4000.0);
        assert!((missing_var_on(Scale::Logit, 10.0, 1000.0) - 1.0 / 90.0).abs() < 1e-12);
        assert_eq!(unit_var(Scale::Angular), 1.0);
        assert!((unit_var(Scale::Logit) - 4.0 / 0.09).abs() < 1e-9);
    }
}
