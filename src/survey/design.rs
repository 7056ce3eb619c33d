//! The sampling design of a microdata file: which columns hold the strata, PSUs, weights and
//! fpc, and the optional `design.toml` that also carries the scoring rule and domains.
//!
//! PSU ids are nested in strata (R `svydesign(…, nest = TRUE)`): the same PSU id in two
//! strata is two PSUs. Without a stratum column the design has one stratum; without a PSU
//! column every row is its own PSU (R `ids = ~1`).
//!
//! ```toml
//! [design]
//! strata = "prefecture"
//! psu = "psu"
//! weight = "weight"
//! fpc = "fpc"              # optional: PSUs in the stratum's population, or a sampling fraction ≤ 1
//! lonely_psu = "adjust"    # fail | adjust | remove | certainty
//!
//! [scoring]                # one of: columns (+ threshold, levels) | miller | indicator
//! columns = ["knowledge", "method", "spirit", "application"]
//! threshold = 70
//! levels = [55, 85]
//! # miller = [["knowledge", 26], ["method", 12], ["society", 12]]   (column, threshold)
//! # indicator = "literate"
//!
//! [domains]
//! by = ["province", "prefecture", "county", "county,urban"]
//! ```

use serde::Deserialize;

use crate::error::{Error, Location, Result};
use crate::survey::scoring::ScoringRule;
use crate::survey::taylor::LonelyPsu;

/// Columns of the design.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DesignSpec {
    /// Stratum column (`strata`); `None` for one stratum. PSU ids are nested in strata.
    pub strata: Option<String>,
    /// PSU column (`psu`); `None` when every row is its own PSU (R `ids = ~1`).
    pub psu: Option<String>,
    /// Sampling weight column (`weight`).
    pub weight: String,
    /// Finite population correction column (`fpc`): PSUs in the stratum's population, or a
    /// sampling fraction ≤ 1; `None` without fpc.
    pub fpc: Option<String>,
}

/// What a `design.toml` holds (every part optional except `[design] weight`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DesignFile {
    /// The `[design]` columns.
    pub design: DesignSpec,
    /// `[design] lonely_psu`, when given.
    pub lonely_psu: Option<LonelyPsu>,
    /// The `[scoring]` rule, when given.
    pub scoring: Option<ScoringRule>,
    /// `[domains] by`: one entry per domain table, crossed columns joined by commas
    /// (`county,urban`).
    pub by: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    design: RawDesign,
    scoring: Option<RawScoring>,
    domains: Option<RawDomains>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDesign {
    strata: Option<String>,
    psu: Option<String>,
    weight: String,
    fpc: Option<String>,
    lonely_psu: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScoring {
    columns: Option<Vec<String>>,
    threshold: Option<f64>,
    levels: Option<Vec<f64>>,
    miller: Option<Vec<(String, f64)>>,
    indicator: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDomains {
    by: Vec<String>,
}

/// Parses the text of a `design.toml` (`file` names it in errors; the command line reads the
/// file).
pub fn parse_design_toml(text: &str, file: &str) -> Result<DesignFile> {
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() as u64 + 1);
        let loc = match line {
            Some(l) => Location::at(file, l),
            None => Location::file(file),
        };
        // The TOML parser's own words (English) after a Chinese lead.
        let m = e.message();
        Error::input(loc, text!("design.toml 格式有误：{m}", "{m}"))
    })?;
    let lonely_psu = match raw.design.lonely_psu.as_deref() {
        None => None,
        Some(s) => Some(s.parse::<LonelyPsu>().map_err(|_| {
            Error::input(
                Location::file(file).with_column("design.lonely_psu"),
                text!(
                    "应为 fail、adjust、remove 或 certainty，实际为 {s:?}",
                    "expected fail, adjust, remove or certainty, found {s:?}"
                ),
            )
        })?),
    };
    let scoring = match raw.scoring {
        None => None,
        Some(s) => Some(scoring_from_raw(s, file)?),
    };
    Ok(DesignFile {
        design: DesignSpec {
            strata: raw.design.strata,
            psu: raw.design.psu,
            weight: raw.design.weight,
            fpc: raw.design.fpc,
        },
        lonely_psu,
        scoring,
        by: raw.domains.map(|d| d.by).unwrap_or_default(),
    })
}

fn scoring_from_raw(s: RawScoring, file: &str) -> Result<ScoringRule> {
    let loc = || Location::file(file).with_column("scoring");
    let kinds = usize::from(s.columns.is_some())
        + usize::from(s.miller.is_some())
        + usize::from(s.indicator.is_some());
    if kinds != 1 {
        return Err(Error::input(
            loc(),
            text!(
                "columns（及 threshold）、miller 与 indicator 应恰好给出其一",
                "expected exactly one of columns (with threshold), miller or indicator"
            ),
        ));
    }
    if let Some(columns) = s.columns {
        if columns.is_empty() {
            return Err(Error::input(
                loc(),
                text!("应至少有一个得分列", "expected at least one score column"),
            ));
        }
        let threshold = s.threshold.unwrap_or(70.0);
        if !threshold.is_finite() {
            return Err(Error::input(
                Location::file(file).with_column("scoring.threshold"),
                text!(
                    "应为有限的得分，如 70，实际为 {threshold}",
                    "expected a finite score such as 70, found {threshold}"
                ),
            ));
        }
        let levels = s.levels.unwrap_or_default();
        check_levels(&levels)
            .map_err(|m| Error::input(Location::file(file).with_column("scoring.levels"), m))?;
        return Ok(ScoringRule::Total {
            columns,
            threshold,
            levels,
        });
    }
    if let Some(dimensions) = s.miller {
        if dimensions.is_empty() {
            return Err(Error::input(
                loc(),
                text!(
                    "应至少有一个 [column, threshold]",
                    "expected at least one [column, threshold]"
                ),
            ));
        }
        if let Some((c, t)) = dimensions.iter().find(|(_, t)| !t.is_finite()) {
            return Err(Error::input(
                Location::file(file).with_column("scoring.miller"),
                text!(
                    "{c:?} 的阈值为 {t}：应为有限的得分",
                    "the threshold of {c:?} is {t}: expected a finite score"
                ),
            ));
        }
        return Ok(ScoringRule::Miller { dimensions });
    }
    Ok(ScoringRule::Indicator {
        column: s.indicator.unwrap_or_default(),
    })
}

/// Graded levels must be finite and distinct (a repeated level would give the same rows
/// twice); the message says which is not.
pub fn check_levels(levels: &[f64]) -> std::result::Result<(), crate::model::Text> {
    for (i, l) in levels.iter().enumerate() {
        if !l.is_finite() {
            return Err(text!(
                "应为有限的得分，如 55,85，实际为 {l}",
                "expected finite scores such as 55,85, found {l}"
            ));
        }
        if levels[..i].contains(l) {
            return Err(text!(
                "水平 {l} 给了两次：每个水平只应给一次",
                "the level {l} is given twice: expected each level once"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_design_file() {
        let d = parse_design_toml(
            "[design]\nstrata='s'\npsu='p'\nweight='w'\nlonely_psu='adjust'\n\
             [scoring]\nmiller=[['k', 26], ['m', 12]]\n[domains]\nby=['county,urban']\n",
            "d.toml",
        )
        .unwrap();
        assert_eq!(d.lonely_psu, Some(LonelyPsu::Adjust));
        assert_eq!(d.by, vec!["county,urban"]);
        assert!(matches!(d.scoring, Some(ScoringRule::Miller { .. })));
    }

    #[test]
    fn bad_design_file_names_line() {
        let e = parse_design_toml("[design]\nweight='w'\nstrata=3\n", "d.toml").unwrap_err();
        assert!(e.to_string().starts_with("d.toml:3"), "{e}");
    }
}
