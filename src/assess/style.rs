//! One status palette for every chart, table and the report: the Okabe–Ito colour-blind-safe
//! colours, each status also carried by a marker shape, a symbol and its words.

use plotters::style::RGBColor;

use super::pace::PaceStatus;
use super::Status;
use crate::model::Lang;

/// Marker shapes drawn for statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// Filled circle (on track, ●).
    Circle,
    /// Filled diamond (achieved, ◆).
    Diamond,
    /// Upward triangle (at risk, ▲).
    TriangleUp,
    /// Downward triangle (off track, ▼).
    TriangleDown,
    /// Cross (regressing, ✕).
    Cross,
    /// Open circle (insufficient data, ○).
    Ring,
    /// Filled square (not achieved, ■).
    Square,
}

/// Colour, marker and labels of a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusStyle {
    /// Colour for charts (Okabe–Ito).
    pub color: RGBColor,
    /// `#rrggbb`, for HTML.
    pub hex: &'static str,
    /// Marker shape drawn in charts.
    pub marker: Marker,
    /// A text symbol carrying the same shape (for tables and legends).
    pub symbol: &'static str,
    /// Chinese label (e.g. 进度正常).
    pub zh: &'static str,
    /// English label (e.g. on track).
    pub en: &'static str,
}

/// The style of an assessment status.
pub fn status_style(s: Status) -> StatusStyle {
    match s {
        Status::Achieved => StatusStyle {
            color: RGBColor(0x00, 0x9E, 0x73),
            hex: "#009E73",
            marker: Marker::Diamond,
            symbol: "◆",
            zh: "已达标",
            en: "achieved",
        },
        Status::NotAchieved => StatusStyle {
            color: RGBColor(0xD5, 0x5E, 0x00),
            hex: "#D55E00",
            marker: Marker::Square,
            symbol: "■",
            zh: "未达标",
            en: "not achieved",
        },
        Status::OnTrack => StatusStyle {
            color: RGBColor(0x00, 0x72, 0xB2),
            hex: "#0072B2",
            marker: Marker::Circle,
            symbol: "●",
            zh: "进度正常",
            en: "on track",
        },
        Status::AtRisk => StatusStyle {
            color: RGBColor(0xE6, 0x9F, 0x00),
            hex: "#E69F00",
            marker: Marker::TriangleUp,
            symbol: "▲",
            zh: "存在风险",
            en: "at risk",
        },
        Status::OffTrack => StatusStyle {
            color: RGBColor(0xD5, 0x5E, 0x00),
            hex: "#D55E00",
            marker: Marker::TriangleDown,
            symbol: "▼",
            zh: "明显滞后",
            en: "off track",
        },
        Status::Regressing => StatusStyle {
            color: RGBColor(0xCC, 0x79, 0xA7),
            hex: "#CC79A7",
            marker: Marker::Cross,
            symbol: "✕",
            zh: "倒退",
            en: "regressing",
        },
        Status::InsufficientData => StatusStyle {
            color: RGBColor(0x99, 0x99, 0x99),
            hex: "#999999",
            marker: Marker::Ring,
            symbol: "○",
            zh: "数据不足",
            en: "insufficient data",
        },
    }
}

/// The same palette for sub-indicator statuses (`no_data` is grey).
pub fn pace_style(s: PaceStatus) -> StatusStyle {
    let (base, zh, en) = match s {
        PaceStatus::Achieved => (Status::Achieved, "已完成", "achieved"),
        PaceStatus::OnTrack => (Status::OnTrack, "进度正常", "on track"),
        PaceStatus::AtRisk => (Status::AtRisk, "存在风险", "at risk"),
        PaceStatus::OffTrack => (Status::OffTrack, "明显滞后", "off track"),
        PaceStatus::NotAchieved => (Status::NotAchieved, "未完成", "not achieved"),
        PaceStatus::Regressing => (Status::Regressing, "倒退", "regressing"),
        PaceStatus::NoData => (Status::InsufficientData, "无数据", "no data"),
    };
    StatusStyle {
        zh,
        en,
        ..status_style(base)
    }
}

impl StatusStyle {
    /// The label in `lang` (`zh` or `en`).
    pub fn label(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }
}
