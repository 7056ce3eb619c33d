//! Rolling-origin backtest of the trend models on the observed series.
//!
//! Every series with at least 3 observations is cut after each of its own observations
//! that leaves at least 2 training points (the origin); every later observed year is
//! forecast from the panel as it stood at the origin year (all series truncated to years
//! ≤ origin, so pooling sees only the past). Errors are pooled across series.

use std::collections::{BTreeSet, HashMap};

use super::dist::{logit, P_FLOOR};
use super::models::{ModelKind, TrendConfig};
use super::panel::{fit_panel, Series};

/// Accuracy of one model.
#[derive(Debug, Clone, PartialEq)]
pub struct BacktestRow {
    pub model: String,
    /// Number of (series, origin, horizon) forecasts scored.
    pub n: usize,
    /// Mean absolute error of the median, percentage points.
    pub mae_pp: f64,
    /// Root mean squared error of the median on the logit scale.
    pub rmse_logit: f64,
    /// Share of outcomes inside the central 80 % / 95 % interval.
    pub coverage80: f64,
    pub coverage95: f64,
    /// Mean Winkler (interval) score of the 80 % interval, pp:
    /// (hi − lo) + (2/α)(lo − y)⁺ + (2/α)(y − hi)⁺ with α = 0.2.
    pub winkler80: f64,
}

/// Runs the backtest for every model in `models`.
pub fn backtest(
    series: &[Series],
    parent_of: &HashMap<String, String>,
    cfg: &TrendConfig,
    models: &[ModelKind],
    since: Option<i32>,
) -> Vec<BacktestRow> {
    // Origins: (series index, number of training points).
    let mut origins: Vec<(usize, usize, i32)> = Vec::new();
    let mut years = BTreeSet::new();
    for (i, s) in series.iter().enumerate() {
        if s.points.len() < 3 {
            continue;
        }
        for k in 2..s.points.len() {
            let y = s.points[k - 1].year;
            if since.is_some_and(|first| y < first) {
                continue;
            }
            origins.push((i, k, y));
            years.insert(y);
        }
    }
    models
        .iter()
        .map(|&model| {
            let mut acc = Acc::default();
            for &year in &years {
                let truncated: Vec<Series> = series
                    .iter()
                    .map(|s| Series {
                        id: s.id.clone(),
                        points: s.points.iter().copied().filter(|p| p.year <= year).collect(),
                    })
                    .collect();
                let panel = fit_panel(&truncated, parent_of, cfg, model);
                for &(i, k, y) in origins.iter().filter(|o| o.2 == year) {
                    let Some(fit) = &panel.fits[i] else { continue };
                    debug_assert_eq!(truncated[i].points.len(), k);
                    let _ = y;
                    for p in &series[i].points[k..] {
                        let f = fit.predictive(p.year).forecast(p.year);
                        acc.add(p.value, f.median, f.lo80, f.hi80, f.lo95, f.hi95);
                    }
                }
            }
            acc.row(model.name())
        })
        .collect()
}

#[derive(Default)]
struct Acc {
    n: usize,
    abs: f64,
    sq_logit: f64,
    in80: usize,
    in95: usize,
    winkler: f64,
}

impl Acc {
    fn add(&mut self, y: f64, median: f64, lo80: f64, hi80: f64, lo95: f64, hi95: f64) {
        let lg = |v: f64| logit((v / 100.0).clamp(P_FLOOR, 1.0 - P_FLOOR));
        self.n += 1;
        self.abs += (median - y).abs();
        self.sq_logit += (lg(median) - lg(y)).powi(2);
        self.in80 += usize::from(lo80 <= y && y <= hi80);
        self.in95 += usize::from(lo95 <= y && y <= hi95);
        let alpha = 0.2;
        self.winkler += (hi80 - lo80)
            + (2.0 / alpha) * (lo80 - y).max(0.0)
            + (2.0 / alpha) * (y - hi80).max(0.0);
    }

    fn row(&self, model: &str) -> BacktestRow {
        let n = self.n.max(1) as f64;
        let nan_if_empty = |v: f64| if self.n == 0 { f64::NAN } else { v };
        BacktestRow {
            model: model.to_string(),
            n: self.n,
            mae_pp: nan_if_empty(self.abs / n),
            rmse_logit: nan_if_empty((self.sq_logit / n).sqrt()),
            coverage80: nan_if_empty(self.in80 as f64 / n),
            coverage95: nan_if_empty(self.in95 as f64 / n),
            winkler80: nan_if_empty(self.winkler / n),
        }
    }
}
