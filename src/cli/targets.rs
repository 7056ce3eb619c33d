//! `litmon targets`: candidate targets for the next plans (the value each jurisdiction
//! reaches by a year with each probability), and the `--probability` check it shares with
//! `chart --kind targets`.

use crate::cli::context::Context;
use crate::error::{Error, Result};
use crate::model::Dataset;
use crate::output::{tables, Table};

/// The default probabilities of `litmon targets`.
pub const DEFAULT_TARGET_PROBABILITIES: [f64; 3] = [0.8, 0.5, 0.2];

/// Checked options of `litmon targets`.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetsTask {
    /// `--year`: the year the candidate targets are for (1900–2100, [`crate::cli::args::YEARS`]).
    pub year: i32,
    /// Probabilities in (0, 1), in the order given.
    pub probabilities: Vec<f64>,
}

impl TargetsTask {
    /// The task of `--year` and `--probability` (the year's range is checked by its parser).
    pub fn from_args(year: i32, probability: &[f64]) -> Result<TargetsTask> {
        Ok(TargetsTask {
            year,
            probabilities: check_probabilities(probability)?,
        })
    }

    /// The candidate-targets table (`indicator` must be a percentage level).
    pub fn table(&self, ctx: &Context, ds: &Dataset) -> Result<Table> {
        let spec = ds.indicator_spec(&ctx.indicator);
        if !spec
            .as_ref()
            .is_some_and(|s| s.is_percent() && s.kind == crate::model::Kind::Level)
        {
            return Err(Error::usage(text!(
"targets：{} 不是带趋势模型的百分比水平指标；候选目标只对 literacy_rate 及其他百分比水平指标计算",
"targets: {} is not a percentage level with a trend model; candidate targets are computed for literacy_rate and other percentage levels",
                ctx.indicator
            )));
        }
        let rows = crate::assess::candidate_targets(
            ds,
            &ctx.indicator,
            &ctx.trend,
            self.year,
            &self.probabilities,
        );
        Ok(tables::targets_table(
            &rows,
            spec.as_ref().is_some_and(|s| s.is_percent()),
        )?)
    }
}

/// Checks `--probability` values (each in the open interval 0–1); empty gives the defaults.
pub fn check_probabilities(ps: &[f64]) -> Result<Vec<f64>> {
    if ps.is_empty() {
        return Ok(DEFAULT_TARGET_PROBABILITIES.to_vec());
    }
    for p in ps {
        if !(p.is_finite() && *p > 0.0 && *p < 1.0) {
            return Err(Error::usage(text!(
"--probability：应为严格介于 0 和 1 之间的概率，如 0.8，实际为 {p}",
"--probability: expected a probability strictly between 0 and 1 such as 0.8, found {p}"
            )));
        }
    }
    // A repeated value gives one row, not two.
    let mut out: Vec<f64> = Vec::new();
    for p in ps {
        if !out.contains(p) {
            out.push(*p);
        }
    }
    Ok(out)
}
