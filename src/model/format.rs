//! Number formats, in one place: the exact form of the output files and the rounded forms
//! of the words officials read (verdicts, report tables, chart labels). Each function
//! states its rule; a missing value in a report reads as a dash ([`or_dash`]).

/// The shortest decimal text that reads back as exactly `x` (Rust's shortest round-trip
/// formatting): plain for 1e-5 ≤ |x| < 1e16 (`6000`, `0.00418531506133126`), elsewhere
/// scientific notation when that is shorter (`1e308`, `1.5e-12`). Not finite: empty.
/// Negative zero is `0`. The form of numbers in CSV output.
///
/// ```
/// use litmon::model::format::shortest;
/// assert_eq!(shortest(9.8), "9.8");
/// assert_eq!(shortest(6000.0), "6000");
/// assert_eq!(shortest(0.1 + 0.2), "0.30000000000000004");
/// assert_eq!(shortest(1e308), "1e308");
/// assert_eq!(shortest(-1.5e-12), "-1.5e-12");
/// assert_eq!(shortest(-0.0), "0");
/// assert_eq!(shortest(0.00418531506133126), "0.00418531506133126");
/// assert_eq!(shortest(f64::NAN), "");
/// ```
pub fn shortest(x: f64) -> String {
    if !x.is_finite() {
        return String::new();
    }
    if x == 0.0 {
        return "0".into();
    }
    let plain = format!("{x}");
    if (1e-5..1e16).contains(&x.abs()) {
        return plain;
    }
    let sci = format!("{x:e}");
    if sci.len() < plain.len() {
        sci
    } else {
        plain
    }
}

/// `x` rounded to 15 significant digits — what R's `write.csv` writes (`print(x, digits = 15)`)
/// and the most a double always holds exactly in decimal — so that output files carry
/// `0.888`, not `0.8879999999999999`: the rounding moves a value by at most 5·10⁻¹⁵ of it,
/// far below any survey's precision. Negative zero becomes 0; not finite: unchanged.
///
/// ```
/// use litmon::model::format::{shortest, significant_15};
/// assert_eq!(shortest(significant_15(0.8879999999999999)), "0.888");
/// assert_eq!(shortest(significant_15(0.8000000000000002)), "0.8");
/// assert_eq!(shortest(significant_15(2497126.0399999996)), "2497126.04");
/// assert_eq!(shortest(significant_15(0.00418531506133126)), "0.00418531506133126");
/// assert_eq!(shortest(significant_15(1e308)), "1e308");
/// assert_eq!(shortest(significant_15(-0.0)), "0");
/// ```
pub fn significant_15(x: f64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    if x == 0.0 {
        return 0.0;
    }
    // `{:.14e}` rounds to 15 significant digits, correctly (round half to even on the
    // exact binary value); reading it back gives the nearest double.
    format!("{x:.14e}").parse().unwrap_or(x)
}

/// A whole number without decimals, any other with two: the form of targets in words
/// (12 → `12`, 12.2 → `12.20`, 0 → `0`).
///
/// ```
/// use litmon::model::format::whole_or_2dp;
/// assert_eq!(whole_or_2dp(12.0), "12");
/// assert_eq!(whole_or_2dp(12.2), "12.20");
/// assert_eq!(whole_or_2dp(0.0), "0");
/// ```
pub fn whole_or_2dp(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

/// An amount in a report table: whole amounts of one or more without decimals, others
/// (below one, zero included) with two, so that a pace of nothing reads `0.00` like the
/// paces beside it (2 → `2`, 3.333… → `3.33`, 0 → `0.00`).
///
/// ```
/// use litmon::model::format::amount;
/// assert_eq!(amount(2.0), "2");
/// assert_eq!(amount(10.0 / 3.0), "3.33");
/// assert_eq!(amount(0.0), "0.00");
/// assert_eq!(amount(0.5), "0.50");
/// ```
pub fn amount(v: f64) -> String {
    if v.abs() >= 1.0 {
        whole_or_2dp(v)
    } else {
        format!("{v:.2}")
    }
}

/// Two decimals (`0.5` → `0.50`): probabilities and paces in report tables.
pub fn fixed_2dp(v: f64) -> String {
    format!("{v:.2}")
}

/// Two decimals with a sign (`+0.35`, `-1.20`): a change in percentage points.
///
/// ```
/// assert_eq!(litmon::model::format::signed_2dp(0.35), "+0.35");
/// ```
pub fn signed_2dp(v: f64) -> String {
    format!("{v:+.2}")
}

/// A value in percent with one decimal and the sign (`12.34` → `12.3%`): chart labels.
///
/// ```
/// assert_eq!(litmon::model::format::percent_1dp(12.34), "12.3%");
/// ```
pub fn percent_1dp(v: f64) -> String {
    format!("{v:.1}%")
}

/// A 0–1 share as a whole percentage (`0.6` → `60%`).
///
/// ```
/// assert_eq!(litmon::model::format::share_percent(0.6), "60%");
/// ```
pub fn share_percent(v: f64) -> String {
    format!("{:.0}%", 100.0 * v)
}

/// `f(v)`, or a dash (—) for a missing value: report table cells.
///
/// ```
/// use litmon::model::format::{fixed_2dp, or_dash};
/// assert_eq!(or_dash(Some(0.5), fixed_2dp), "0.50");
/// assert_eq!(or_dash(None, fixed_2dp), "—");
/// ```
pub fn or_dash(v: Option<f64>, f: fn(f64) -> String) -> String {
    v.map(f).unwrap_or_else(|| "—".into())
}
