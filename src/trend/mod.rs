//! Trend models, predictive intervals, pooling across jurisdictions and the backtest.
//! Pure numerics: slices and structs in, values out; no IO.

pub mod backtest;
pub mod describe;
pub mod dist;
pub mod line;
pub mod local;
pub mod models;
pub mod panel;
pub mod pool;

pub use dist::{expit, logit, Forecast, Predictive, Scale};
pub use line::WlsLine;
pub use models::{fit_benchmark, fit_logit, ModelKind, TrendConfig, TrendFit, TrendPoint};
pub use panel::{fit_panel, PanelFit, Series};
pub use pool::{PriorSource, ResidualPrior, SlopePrior};
