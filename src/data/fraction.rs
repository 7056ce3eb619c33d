//! The fraction check: percentages typed as fractions (0.098 for 9.8 %), found by
//! comparing each value with the same indicator's values near it in time.

use std::collections::{BTreeMap, HashMap};

use crate::error::{Error, Result};
use crate::model::{Dataset, Observation, LITERACY_RATE};

/// A file whose literacy rates are all ≤ 1 was probably written as fractions.
pub(super) fn all_fractions_warning(
    obs: &[Observation],
    label: &str,
    warnings: &mut Vec<crate::error::Diagnostic>,
) {
    let rates: Vec<f64> = obs
        .iter()
        .filter(|o| o.indicator == LITERACY_RATE)
        .map(|o| o.value)
        .collect();
    if rates.len() >= 2 && rates.iter().all(|&v| v <= 1.0) && rates.iter().any(|&v| v > 0.0) {
        let message = text!(
            "literacy_rate 的所有值都 ≤ 1；该值以百分数表示（9.0 即 9%）：如果这些是小数比例，请乘以 100",
            "every literacy_rate value is ≤ 1; values are percentages (9.0 means 9%): if these are fractions, multiply them by 100"
        );
        let kind = crate::error::DiagnosticKind::RatesLookLikeFractions;
        warnings.push(crate::error::Diagnostic::warning(kind, message).about(label));
    }
}

/// A value ≤ 1 of a percent indicator is taken for a fraction when a value of the same
/// indicator near it in time ([`check_fractions`]) is at least this many times larger.
const FRACTION_RATIO: f64 = 30.0;

/// Refuses fractions mixed with percentages: 0.098 beside 9.8 in the same jurisdiction's
/// series of a percent indicator ([`FRACTION_RATIO`] times larger, within two years or, when
/// no other year is that close, at the distance of the nearest year measured on either side:
/// the nation's 0.2 of 1996 is compared with 1.4 of 2001 only, a ratio of 7).
/// Values of different jurisdictions are never compared (prefecture rates range from
/// under 1 % to over 40 %), and a value whose standard error is on the percent scale —
/// at least a tenth of the larger neighbour's, where a fraction's would be a hundredth —
/// is never taken for a fraction.
pub(super) fn check_fractions(ds: &Dataset, obs: &[Observation]) -> Result<()> {
    // Largest value of each (jurisdiction, percent indicator) per year, with its index.
    type Series<'a> = HashMap<(&'a str, &'a str), BTreeMap<i32, usize>>;
    let mut max_by_year: Series = HashMap::new();
    let mut pct: HashMap<&str, bool> = HashMap::new();
    for (i, o) in obs.iter().enumerate() {
        let is_pct = *pct.entry(&o.indicator).or_insert_with(|| {
            ds.indicator_spec(&o.indicator)
                .is_some_and(|s| s.is_percent())
        });
        if !is_pct {
            continue;
        }
        let m = max_by_year
            .entry((o.jurisdiction.as_str(), o.indicator.as_str()))
            .or_default();
        let e = m.entry(o.year).or_insert(i);
        if obs[*e].value < o.value {
            *e = i;
        }
    }
    for o in obs {
        if o.value <= 0.0 || o.value > 1.0 {
            continue;
        }
        let Some(m) = max_by_year.get(&(o.jurisdiction.as_str(), o.indicator.as_str())) else {
            continue;
        };
        // Within two years, or out to the nearest other year measured (on both sides at that
        // distance) when none is that close: 0.098 in 2010 is seen beside 9.0 in 2020.
        let before = m.range(..o.year).next_back().map(|(y, _)| o.year - y);
        let after = m.range(o.year + 1..).next().map(|(y, _)| y - o.year);
        let reach = before
            .into_iter()
            .chain(after)
            .min()
            .map_or(2, |d| d.max(2));
        let big = m
            .range(o.year - reach..=o.year + reach)
            .map(|(_, &k)| &obs[k])
            .filter(|w| w.value >= FRACTION_RATIO * o.value)
            .filter(|w| match (o.se, w.se) {
                (Some(a), Some(b)) => a * 10.0 < b,
                _ => true,
            })
            .max_by(|a, b| a.value.total_cmp(&b.value));
        if let Some(w) = big {
            let pct = format!("{}", (o.value * 1e12).round() / 1e10);
            return Err(Error::input(
                o.origin.clone(),
                crate::model::Text::new(
                    format!(
                        "{} 是百分比，但 {} 与 {}（{} {}，见 {}）相比像是小数比例：所有值都应以百分数表示——{pct}% 写作 {pct}",
                        o.indicator,
                        o.value,
                        w.value,
                        w.jurisdiction,
                        w.year,
                        w.origin.render(crate::model::Lang::Zh),
                    ),
                    format!(
                        "{} is a percentage, but {} looks like a fraction beside {} ({} {}, at {}): expected every value in percent — write {pct} for {pct}%",
                        o.indicator,
                        o.value,
                        w.value,
                        w.jurisdiction,
                        w.year,
                        w.origin,
                    ),
                ),
            ));
        }
    }
    Ok(())
}
