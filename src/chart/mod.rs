//! Charts for briefings: trajectory fan charts, a status dashboard, the final-evaluation
//! chart of measured targets and sub-indicator progress bars, drawn with plotters into SVG
//! (live text) and rasterised to PNG with resvg.
//!
//! Chinese always renders: the bundled WenQuanYi Micro Hei (face 0 of the Debian
//! `fonts-wqy-microhei` collection, Apache-2.0; see `src/chart/fonts/`) is registered with
//! plotters for text measurement and loaded from bytes into resvg's font database, so no
//! system font is ever consulted. SVG files name a CJK font stack so that browsers and
//! Word/WPS pick a local CJK font when they do not embed ours.

mod canvas;
mod dashboard;
mod evaluation;
mod indicators;
pub mod palette;
mod trajectory;
mod trajectory_chart;

pub use canvas::{ChartStyle, Svg, FONT_BYTES, FONT_FAMILY, SVG_FONT_STACK};
pub use dashboard::{
    dashboard, dashboard_selection, dashboard_title, DashboardChart, DashboardRow,
};
pub use evaluation::{evaluation, evaluation_title, measured_se, EvaluationChart, EvaluationRow};
pub use indicators::{indicators, IndicatorBar, IndicatorsChart};
pub use trajectory::trajectory;
pub use trajectory_chart::{ObservedPoint, TrajectoryChart};
