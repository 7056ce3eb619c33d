//! A plan of one jurisdiction: its metadata and indicators with their targets.

use super::indicator::two_years;
use crate::model::PlanIndicator;

use serde::{Deserialize, Serialize};

/// Document metadata of a plan (the `[plan]` table).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanMeta {
    /// Code of the jurisdiction the plan is for (must exist in the registry).
    pub jurisdiction: String,
    /// Chinese title of the document.
    pub title_zh: String,
    /// English title, if known.
    #[serde(default)]
    pub title_en: Option<String>,
    /// Issuing authority in Chinese (e.g. 乌海市人民政府).
    #[serde(default)]
    pub issuer_zh: Option<String>,
    /// Document number (文号, e.g. 乌海政发〔2022〕2号), only when the document states one.
    #[serde(default)]
    pub document_no: Option<String>,
    /// Date of issue, ISO `YYYY-MM-DD` when known.
    #[serde(default)]
    pub issued: Option<String>,
    /// First and last year of the plan period, inclusive (e.g. [2021, 2025]).
    #[serde(deserialize_with = "two_years")]
    pub period: [i32; 2],
    /// Where the figures were read: a seed document name or a URL.
    #[serde(default)]
    pub source: Option<String>,
}

/// A plan document: metadata and its quantitative targets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// Document metadata (the `[plan]` table).
    pub plan: PlanMeta,
    /// Quantitative targets (the `[[indicator]]` tables).
    #[serde(default, rename = "indicator")]
    pub indicators: Vec<PlanIndicator>,
    /// File the plan was read from (not part of the TOML).
    #[serde(skip)]
    pub origin: String,
}

impl Plan {
    /// A plan of `jurisdiction` (its code) titled `title_zh` for `period` (first and last
    /// year), without targets yet; `origin` names it in messages.
    pub fn new(jurisdiction: &str, title_zh: &str, period: [i32; 2]) -> Self {
        Plan {
            plan: PlanMeta {
                jurisdiction: jurisdiction.to_string(),
                title_zh: title_zh.to_string(),
                title_en: None,
                issuer_zh: None,
                document_no: None,
                issued: None,
                period,
                source: None,
            },
            indicators: Vec::new(),
            origin: format!("plan of {jurisdiction}"),
        }
    }

    /// The plan with one more target.
    pub fn with_indicator(mut self, indicator: PlanIndicator) -> Self {
        self.indicators.push(indicator);
        self
    }

    /// Period of one indicator: its own, else the plan's.
    pub fn period_of(&self, ind: &PlanIndicator) -> [i32; 2] {
        ind.period.unwrap_or(self.plan.period)
    }

    /// The target of indicator `id`, if the plan has one.
    pub fn indicator(&self, id: &str) -> Option<&PlanIndicator> {
        self.indicators.iter().find(|i| i.id == id)
    }

    /// The plan's id: its file name without extension (`embedded:` dropped), else its
    /// jurisdiction.
    pub fn id(&self) -> String {
        let origin = self.origin.trim_start_matches("embedded:");
        std::path::Path::new(origin)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.plan.jurisdiction.clone())
    }
}
