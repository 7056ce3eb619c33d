//! Trend models, predictive intervals, pooling across jurisdictions and the backtest.
//! Pure numerics: slices and structs in, values out; no IO.

mod angular;
pub mod backtest;
pub mod describe;
pub mod dist;
pub mod filter;
pub mod fit;
pub mod hierarchy;
pub mod line;
pub mod local;
pub mod models;
pub mod noise;
pub mod panel;
pub mod pool;
pub mod sampling;

pub use dist::{expit, logit, Forecast, Predictive, Scale};
pub use fit::{PanelFit, Series, TrendFit, TrendPoint};
pub use hierarchy::Hierarchy;
pub use line::WlsLine;
pub use models::{fit_benchmark, fit_logit, ModelKind, TrendConfig};
pub use panel::fit_panel;
pub use pool::{PriorSource, ResidualPrior, SlopePrior};
