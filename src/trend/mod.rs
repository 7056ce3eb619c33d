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
mod period;
pub mod pool;
pub mod sampling;
mod slab;
pub mod transfer;

pub use dist::{expit, logit, Forecast, Predictive, Scale};
pub use fit::{AgedFrom, PanelFit, Series, TrendFit, TrendPoint};
pub use hierarchy::Hierarchy;
pub use line::WlsLine;
pub use models::{fit_benchmark, fit_logit, LogitConfig, ModelKind, TrendConfig};
pub use panel::fit_panel;
pub use pool::{PriorSource, ResidualPrior, SlopePrior};

use std::collections::HashMap;

/// The model `cfg.model` (with the settings of `cfg`) as fitted to `series` — `fits` as
/// [`fit_panel`] returned them for `cfg.model`, `parent_of` the registry's id → parent map the
/// panel was fitted with — in words: [`panel::PanelModel::describe`] of that model, the one
/// source of the report's methods text and `backtest --describe`.
///
/// # Examples
/// ```
/// use std::collections::HashMap;
/// use litmon::model::{Lang, Level};
/// use litmon::trend::{describe, fit_panel, ModelKind, Series, TrendConfig, TrendPoint};
/// let s = vec![Series {
///     id: "100000".into(),
///     level: Some(Level::National),
///     points: vec![
///         TrendPoint { year: 2020, value: 10.56, se: None },
///         TrendPoint { year: 2022, value: 12.93, se: None },
///         TrendPoint { year: 2023, value: 14.14, se: None },
///     ],
/// }];
/// let cfg = TrendConfig { model: ModelKind::LogitWls, ..TrendConfig::default() };
/// let parents = HashMap::new();
/// let panel = fit_panel(&s, &parents, &cfg, cfg.model);
/// let d = describe(&cfg, &s, &parents, &panel.fits, Lang::En);
/// assert_eq!(d.name, "logit_wls");
/// assert!(d.title.contains("logit_wls"));
/// ```
pub fn describe(
    cfg: &TrendConfig,
    series: &[Series],
    parent_of: &HashMap<String, String>,
    fits: &[Option<TrendFit>],
    lang: crate::model::Lang,
) -> describe::ModelDescription {
    panel::panel_model(cfg.model, cfg).describe(series, &Hierarchy::new(parent_of), fits, lang)
}
