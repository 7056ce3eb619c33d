//! The verdicts of an assessment: the probabilistic [`Status`], the official deterministic
//! category by the CAGR ratio ([`OfficialCategory`]) and the configurable [`StatusRule`].

/// Official deterministic category by the CAGR ratio R = CAGR_obs / CAGR_req (Eurostat
/// SDG monitoring / Open SDG): R ≥ 0.95 on track, 0.60 ≤ R < 0.95 acceleration needed,
/// 0 ≤ R < 0.60 limited progress, R < 0 deterioration; `achieved` / `not_achieved` on a
/// measured target year (the measurement decides, as the status).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum OfficialCategory {
    /// The target year has been measured and the value meets the target (or, before it, the
    /// latest value meets it beyond its sampling error).
    Achieved,
    /// The target year has been measured and the value misses the target.
    NotAchieved,
    /// R ≥ 0.95: the observed CAGR keeps up with the required one.
    OnTrack,
    /// 0.60 ≤ R < 0.95: progress, but too slow to reach the target.
    AccelerationNeeded,
    /// 0 ≤ R < 0.60: little progress relative to what is required.
    LimitedProgress,
    /// R < 0: the indicator moves away from the target.
    Deterioration,
}

impl OfficialCategory {
    /// Category of the CAGR ratio R by the thresholds above; `None` when R is not finite.
    /// Never returns [`OfficialCategory::Achieved`] (that needs the target comparison).
    pub fn from_ratio(ratio: f64) -> Option<Self> {
        if !ratio.is_finite() {
            return None;
        }
        Some(if ratio >= 0.95 {
            OfficialCategory::OnTrack
        } else if ratio >= 0.60 {
            OfficialCategory::AccelerationNeeded
        } else if ratio >= 0.0 {
            OfficialCategory::LimitedProgress
        } else {
            OfficialCategory::Deterioration
        })
    }

    /// Machine name used in CSV/JSON output (`on_track`, `acceleration_needed`, …).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Probabilistic status of a jurisdiction (the default, before a row is assessed: no data).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Default,
    serde::Serialize,
    strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Status {
    /// The latest value meets the target beyond its sampling error (or, for a measured target
    /// year, the measurement meets it).
    Achieved,
    /// The target year was measured and the value misses the target.
    NotAchieved,
    /// P(reach) ≥ the rule's `on_track_p`.
    OnTrack,
    /// `off_track_p` ≤ P(reach) < `on_track_p`.
    AtRisk,
    /// P(reach) < the rule's `off_track_p`.
    OffTrack,
    /// The trend slope is significantly adverse (one-sided test at `regress_level`).
    Regressing,
    /// No baseline, no latest value or no fitted trend: no status can be given.
    #[default]
    InsufficientData,
}

impl Status {
    /// Every status, in the order of the enum (the order of summaries and legends).
    pub const ALL: [Status; 7] = [
        Status::Achieved,
        Status::NotAchieved,
        Status::OnTrack,
        Status::AtRisk,
        Status::OffTrack,
        Status::Regressing,
        Status::InsufficientData,
    ];

    /// Machine name used in CSV/JSON output (`on_track`, `insufficient_data`, …).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Chinese label shown in tables, charts and reports (e.g. 进度正常).
    pub fn label_zh(self) -> &'static str {
        match self {
            Status::Achieved => "已达标",
            Status::NotAchieved => "未达标",
            Status::OnTrack => "进度正常",
            Status::AtRisk => "存在风险",
            Status::OffTrack => "明显滞后",
            Status::Regressing => "倒退",
            Status::InsufficientData => "数据不足",
        }
    }
}

/// The configurable status rule (DESIGN): achieved if the latest value meets the target
/// beyond its sampling error (one-sided, `achieved_level`); regressing if the slope is
/// significantly adverse (one-sided, `regress_level`); else on track if P ≥ `on_track_p`,
/// at risk if `off_track_p` ≤ P < `on_track_p`, off track if P < `off_track_p`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StatusRule {
    /// Minimum P(reach) for `on_track` (probability, 0–1; default 0.8).
    pub on_track_p: f64,
    /// P(reach) below this is `off_track` (probability, 0–1; default 0.2).
    pub off_track_p: f64,
    /// One-sided confidence level of the "achieved beyond sampling error" test (default 0.95).
    pub achieved_level: f64,
    /// One-sided confidence level of the "significantly adverse slope" test (default 0.95).
    pub regress_level: f64,
}

impl Default for StatusRule {
    fn default() -> Self {
        StatusRule {
            on_track_p: 0.8,
            off_track_p: 0.2,
            achieved_level: 0.95,
            regress_level: 0.95,
        }
    }
}

impl StatusRule {
    /// Status from P(reach) alone.
    pub fn from_probability(&self, p: f64) -> Status {
        if p >= self.on_track_p {
            Status::OnTrack
        } else if p >= self.off_track_p {
            Status::AtRisk
        } else {
            Status::OffTrack
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::rates::{cagr, logit_slope, required_pace};

    /// The worked example of the core issue: 9.0 % in 2020, 9.8 % in 2022, target 12 % in 2025.
    /// Hand computation:
    /// CAGR_req = (12/9)^(1/5) − 1 = 0.059223841…;
    /// CAGR_obs = (9.8/9)^(1/2) − 1 = 0.043498389…;
    /// R = 0.043498/0.059224 = 0.734474…;
    /// y_T^e = 9.8 · 1.0434984^3 = 11.135287…, ρ = (11.135287 − 9)/(12 − 9) = 0.711762….
    /// (Rounded: 5.92 %, 4.35 %, 0.73, 0.71, as the issue states.)
    #[test]
    fn worked_example_paces_and_official_measures() {
        let req = cagr(2020, 9.0, 2025, 12.0);
        let obs = cagr(2020, 9.0, 2022, 9.8);
        assert!((req - 0.0592238410).abs() < 1e-9, "{req}");
        assert!((obs - 0.0434983895).abs() < 1e-9, "{obs}");
        let ratio = obs / req;
        assert!((ratio - 0.7344743).abs() < 1e-6, "{ratio}");
        assert_eq!(
            OfficialCategory::from_ratio(ratio),
            Some(OfficialCategory::AccelerationNeeded)
        );
        let y_te = 9.8 * (1.0 + obs).powi(3);
        let rho = (y_te - 9.0) / 3.0;
        assert!((rho - 0.7117624).abs() < 1e-6, "{rho}");
        assert!((required_pace(2020, 9.0, 2025, 12.0) - 0.6).abs() < 1e-12);
        // logit slope: (logit .12 − logit .09)/5 = (−1.9924301646902063 + 2.3136349291806306)/5
        let ls = logit_slope(2020, 9.0, 2025, 12.0);
        assert!((ls - 0.06424095289808486).abs() < 1e-12, "{ls}");
    }

    #[test]
    fn official_category_thresholds() {
        use OfficialCategory::*;
        let cat = |r| OfficialCategory::from_ratio(r);
        assert_eq!(cat(0.95), Some(OnTrack));
        assert_eq!(cat(0.9499), Some(AccelerationNeeded));
        assert_eq!(cat(0.60), Some(AccelerationNeeded));
        assert_eq!(cat(0.5999), Some(LimitedProgress));
        assert_eq!(cat(0.0), Some(LimitedProgress));
        assert_eq!(cat(-0.01), Some(Deterioration));
        assert_eq!(cat(f64::NAN), None);
    }

    #[test]
    fn status_rule_bands() {
        let r = StatusRule::default();
        assert_eq!(r.from_probability(0.8), Status::OnTrack);
        assert_eq!(r.from_probability(0.79), Status::AtRisk);
        assert_eq!(r.from_probability(0.2), Status::AtRisk);
        assert_eq!(r.from_probability(0.19), Status::OffTrack);
    }
}
