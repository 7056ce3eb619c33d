//! Typed errors of the survey estimator. They say what is wrong in the estimator's own terms
//! (a column's role, a replicate count) and never name a command-line flag: the command line
//! (`litmon estimate`) words each one for the user, naming the flag to fix.

use std::fmt;

use super::Location;
use super::{Lang, Text};

/// The role a named column plays in an estimate (the column was not found in the header).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnRole {
    /// Stratum ids.
    Strata,
    /// Primary sampling unit ids (nested in strata).
    Psu,
    /// Design weights.
    Weight,
    /// Finite population correction.
    Fpc,
    /// A score (or the indicator) of the scoring rule.
    Score,
    /// A domain column.
    Domain,
    /// A post-stratification or raking column.
    PostStratum,
}

impl ColumnRole {
    /// What the column holds, in words (e.g. `stratum`).
    pub fn as_str(self) -> &'static str {
        match self {
            ColumnRole::Strata => "stratum",
            ColumnRole::Psu => "PSU",
            ColumnRole::Weight => "weight",
            ColumnRole::Fpc => "fpc",
            ColumnRole::Score => "score",
            ColumnRole::Domain => "domain",
            ColumnRole::PostStratum => "post-stratum",
        }
    }
}

impl ColumnRole {
    /// What the column holds, in Chinese (e.g. `分层`).
    pub fn zh(self) -> &'static str {
        match self {
            ColumnRole::Strata => "分层",
            ColumnRole::Psu => "初级抽样单元（PSU）",
            ColumnRole::Weight => "权重",
            ColumnRole::Fpc => "有限总体校正（fpc）",
            ColumnRole::Score => "得分",
            ColumnRole::Domain => "分组",
            ColumnRole::PostStratum => "事后分层",
        }
    }
}

impl fmt::Display for ColumnRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A problem of the microdata, the design or the population margins found by the estimator.
/// Every one is the user's to fix (exit status 2).
#[derive(Debug, Clone, PartialEq)]
pub enum SurveyError {
    /// A column named for `role` is not in the header at `location`.
    MissingColumn {
        /// The microdata's header line.
        location: Location,
        /// What the column was to hold.
        role: ColumnRole,
        /// The column name asked for.
        name: String,
        /// The header's column names.
        header: Vec<String>,
    },
    /// Fewer than 2 header columns start with the replicate-weight prefix.
    ReplicateColumnsMissing {
        /// The microdata's header line.
        location: Location,
        /// The column-name prefix of the replicate weights.
        prefix: String,
        /// The header's column names.
        header: Vec<String>,
    },
    /// Fewer than 2 replicate weights for the variance.
    TooFewReplicates {
        /// The column-name prefix of the replicate weights.
        prefix: String,
        /// Replicate weight columns found.
        found: usize,
    },
    /// Fay's method without its coefficient ρ.
    FayWithoutRho,
    /// JKn without the per-replicate scales (n_h − 1)/n_h.
    JknWithoutRscales,
    /// The number of replicate scales differs from the number of replicates.
    RscalesCount {
        /// Replicates in the microdata.
        expected: usize,
        /// Scales given.
        found: usize,
    },
    /// A stratum with one PSU under [`crate::survey::taylor::LonelyPsu::Fail`].
    LonelyPsu {
        /// The stratum's id.
        stratum: String,
    },
    /// The microdata has a header but no data row.
    NoDataRows,
    /// The population tables do not match the weighting: post-stratification needs one,
    /// raking one per margin, in the same order.
    PopulationsPerMargin,
    /// Raking margins whose population totals differ.
    MarginTotalsDiffer {
        /// The margin table that disagrees with the first.
        location: Location,
        /// Its total.
        total: f64,
        /// The first margin table's label.
        first: String,
        /// The first margin table's total.
        first_total: f64,
    },
}

impl SurveyError {
    /// The message in `lang` (the place first, when there is one).
    pub fn render(&self, lang: Lang) -> String {
        match self.location() {
            Some(loc) => {
                let colon = if lang == Lang::Zh { "：" } else { ": " };
                format!("{}{colon}{}", loc.render(lang), self.text().get(lang))
            }
            None => self.text().get(lang).to_string(),
        }
    }

    /// The place of the problem in the inputs, when there is one.
    pub fn location(&self) -> Option<&Location> {
        match self {
            SurveyError::MissingColumn { location, .. }
            | SurveyError::ReplicateColumnsMissing { location, .. }
            | SurveyError::MarginTotalsDiffer { location, .. } => Some(location),
            _ => None,
        }
    }

    /// What is wrong, in both languages, without the place.
    pub fn text(&self) -> Text {
        match self {
            SurveyError::MissingColumn {
                role, name, header, ..
            } => {
                let h = header.join(",");
                let zh_role = role.zh();
                text!(
                    "应有一个名为“{name}”的{zh_role}列；表头中的列为 {h}",
                    "expected a {role} column named {name:?}; the header has {h}"
                )
            }
            SurveyError::ReplicateColumnsMissing { prefix, header, .. } => {
                let h = header.join(",");
                text!(
                    "应至少有 2 个名称以“{prefix}”开头的重复权重列；表头中的列为 {h}",
                    "expected at least 2 replicate weight columns whose names start with {prefix:?}; the header has {h}"
                )
            }
            SurveyError::TooFewReplicates { prefix, found } => text!(
                "应至少有 2 个以“{prefix}”开头的重复权重列，实际只有 {found} 个",
                "expected at least 2 replicate weight columns starting with {prefix:?}, found {found}"
            ),
            SurveyError::FayWithoutRho => text!(
                "Fay 重复权重需要 Fay 系数 rho",
                "Fay's replicate weights need Fay's coefficient rho"
            ),
            SurveyError::JknWithoutRscales => text!(
                "JKn 重复权重需要每个重复的 (n_h − 1)/n_h",
                "JKn replicate weights need the per-replicate (n_h − 1)/n_h"
            ),
            SurveyError::RscalesCount { expected, found } => text!(
                "应有 {expected} 个重复缩放系数（每个重复一个），实际有 {found} 个",
                "expected {expected} replicate scales (one per replicate), found {found}"
            ),
            SurveyError::LonelyPsu { stratum } => text!(
                "分层“{stratum}”只有一个初级抽样单元（PSU）：请选择单 PSU 处理方式 adjust、remove 或 certainty（同 R 的 options(survey.lonely.psu)）",
                "stratum {stratum:?} has only one PSU: choose a lonely-PSU policy of adjust, remove or certainty (as R options(survey.lonely.psu))"
            ),
            SurveyError::NoDataRows => text!("微观数据没有数据行", "the microdata has no data rows"),
            SurveyError::PopulationsPerMargin => text!(
                "每个事后分层或 raking 边际都应有一张总体表，且顺序相同",
                "expected one population table per post-stratification or raking margin, in the same order"
            ),
            SurveyError::MarginTotalsDiffer {
                total,
                first,
                first_total,
                ..
            } => text!(
                "raking 各边际描述的不是同一总体：本表合计 {total}，{first} 合计 {first_total}；各表合计应相等（相对误差 1e-6 以内）",
                "the raking margins do not describe one population: this table totals {total}, {first} totals {first_total}; expected equal totals (relative 1e-6)"
            ),
        }
    }
}

/// The English message ([`SurveyError::render`] with [`Lang::En`]).
impl fmt::Display for SurveyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

impl std::error::Error for SurveyError {}
