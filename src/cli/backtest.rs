//! `litmon backtest`: rolling-origin scores of the trend models, as a summary, every
//! forecast, one summary per level or horizon band, or the fitted model in words
//! ([`BacktestView`]).

use crate::cli::context::Context;
use crate::error::{Error, Result};
use crate::model::{Dataset, Level};
use crate::output::{tables, Table};
use crate::trend::backtest::{backtest_forecasts, horizon_band, summarise, HORIZON_BANDS};
use crate::trend::backtest::{BacktestForecast, BacktestRow};
use crate::trend::{ModelKind, TrendConfig};

/// What `backtest` prints (`--detail`, `--by-level`, `--by-horizon` and `--describe`
/// exclude each other).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BacktestView {
    /// One summary row per model (no flag).
    Summary,
    /// `--detail`: every scored forecast.
    Detail,
    /// `--by-level`: one summary row per model and [`BacktestLevel`].
    ByLevel,
    /// `--by-horizon`: one summary row per model and horizon band ([`HORIZON_BANDS`]).
    ByHorizon,
    /// `--describe`: the fitted model in words instead of the scores.
    Describe,
}

/// Checked options of `litmon backtest`.
#[derive(Debug, Clone, PartialEq)]
pub struct BacktestTask {
    /// `--since`: first origin year scored; `None` with `--all-origins` (every origin).
    pub since: Option<i32>,
    /// What to print.
    pub view: BacktestView,
    /// Models to score (all unless `--model` names one).
    pub models: Vec<ModelKind>,
    /// `--half-life` as given (0: equal weights); `None`: the default.
    pub half_life: Option<f64>,
}

/// The flags of `litmon backtest`, as clap parsed them.
#[derive(Debug, Clone, Copy)]
pub struct BacktestFlags {
    /// `--half-life`.
    pub half_life: Option<f64>,
    /// `--since`.
    pub since: i32,
    /// `--all-origins`.
    pub all_origins: bool,
    /// `--detail`.
    pub detail: bool,
    /// `--by-level`.
    pub by_level: bool,
    /// `--by-horizon`.
    pub by_horizon: bool,
    /// `--describe`.
    pub describe: bool,
}

impl BacktestTask {
    /// Checks the flags; `model` is the global `--model` (the one model to score).
    pub fn from_args(a: &BacktestFlags, model: Option<ModelKind>) -> Result<BacktestTask> {
        if let Some(h) = a.half_life {
            // Below 0.1 years every point but the latest weighs (almost) nothing
            // (0.5^(1/h) underflows to 0 for h = 1e-300): refuse, do not fit n = 0.
            if !h.is_finite() || h < 0.0 || (h > 0.0 && h < 0.1) {
                return Err(Error::usage(text!(
                    "--half-life：应为 0（等权）或至少 0.1 年，实际为 {h}",
                    "--half-life: expected 0 (equal weights) or at least 0.1 years, found {h}"
                )));
            }
        }
        let view = if a.describe {
            BacktestView::Describe
        } else if a.detail {
            BacktestView::Detail
        } else if a.by_level {
            BacktestView::ByLevel
        } else if a.by_horizon {
            BacktestView::ByHorizon
        } else {
            BacktestView::Summary
        };
        Ok(BacktestTask {
            since: (!a.all_origins).then_some(a.since),
            view,
            models: model.map_or_else(|| ModelKind::ALL.to_vec(), |m| vec![m]),
            half_life: a.half_life,
        })
    }

    /// The trend settings scored: `base` with `--half-life` applied.
    pub fn trend(&self, base: TrendConfig) -> TrendConfig {
        let mut trend = base;
        if let Some(h) = self.half_life {
            trend.logit.half_life = (h > 0.0).then_some(h);
        }
        trend
    }

    /// `--describe`: the model of `--model` (else the default) fitted to the whole panel,
    /// in words.
    pub fn describe(&self, ctx: &Context, ds: &Dataset) -> Result<Table> {
        let series = crate::assess::all_series(ds, &ctx.indicator);
        let parents = crate::assess::parent_map(ds);
        let mut trend = self.trend(ctx.trend);
        if let [one] = self.models.as_slice() {
            trend.model = *one;
        }
        let panel = crate::trend::fit_panel(&series, &parents, &trend, trend.model);
        let d = crate::trend::describe(&trend, &series, &parents, &panel.fits, ctx.lang);
        Ok(tables::model_description_table(&d)?)
    }

    /// The scores of the view (not [`BacktestView::Describe`]); `keep` picks the
    /// jurisdictions whose forecasts are scored (all jurisdictions' series still inform the
    /// pooled slopes).
    pub fn table(&self, ctx: &Context, ds: &Dataset, keep: &dyn Fn(&str) -> bool) -> Result<Table> {
        let percent = ds
            .indicator_spec(&ctx.indicator)
            .is_some_and(|s| s.is_percent());
        let series = crate::assess::all_series(ds, &ctx.indicator);
        let parents = crate::assess::parent_map(ds);
        let trend = self.trend(ctx.trend);
        let mut forecasts =
            backtest_forecasts(&series, &parents, &trend, &self.models, self.since, 2);
        forecasts.retain(|f| keep(&f.jurisdiction));
        Ok(match self.view {
            BacktestView::Detail => tables::backtest_detail_table(&forecasts, percent)?,
            BacktestView::ByLevel => {
                let level_of = |f: &BacktestForecast| {
                    BacktestLevel::of(ds.jurisdiction(&f.jurisdiction).map(|j| j.level))
                };
                let rows = self.grouped(
                    &forecasts,
                    BacktestLevel::ALL,
                    |l| l.as_str(),
                    |f, l| level_of(f) == l,
                );
                tables::backtest_level_table(&rows)?
            }
            BacktestView::ByHorizon => {
                let bands = HORIZON_BANDS.map(|(band, _, _)| band);
                let rows = self.grouped(
                    &forecasts,
                    bands,
                    |b| b,
                    |f, b| horizon_band(f.origin, f.year) == b,
                );
                tables::backtest_horizon_table(&rows)?
            }
            BacktestView::Summary | BacktestView::Describe => {
                tables::backtest_table(&summarise(&forecasts, &self.models))?
            }
        })
    }

    /// One summary row per model and group, groups in the order given.
    fn grouped<G: Copy>(
        &self,
        forecasts: &[BacktestForecast],
        groups: impl IntoIterator<Item = G>,
        name: impl Fn(G) -> &'static str,
        member: impl Fn(&BacktestForecast, G) -> bool,
    ) -> Vec<(&'static str, BacktestRow)> {
        let mut rows = Vec::new();
        for g in groups {
            let of_group: Vec<_> = forecasts.iter().filter(|f| member(f, g)).cloned().collect();
            for r in summarise(&of_group, &self.models) {
                rows.push((name(g), r));
            }
        }
        rows
    }
}

/// The levels of the `backtest --by-level` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BacktestLevel {
    /// The nation.
    National,
    /// Provinces.
    Province,
    /// Prefectures, counties and any jurisdiction without a level.
    PrefectureAndBelow,
}

impl BacktestLevel {
    /// Every level, in table order.
    pub const ALL: [BacktestLevel; 3] = [
        BacktestLevel::National,
        BacktestLevel::Province,
        BacktestLevel::PrefectureAndBelow,
    ];

    fn of(level: Option<Level>) -> BacktestLevel {
        match level {
            Some(Level::National) => BacktestLevel::National,
            Some(Level::Province) => BacktestLevel::Province,
            _ => BacktestLevel::PrefectureAndBelow,
        }
    }

    /// Machine name used in the table (`national`, `province`, `prefecture_and_below`).
    pub fn as_str(self) -> &'static str {
        match self {
            BacktestLevel::National => "national",
            BacktestLevel::Province => "province",
            BacktestLevel::PrefectureAndBelow => "prefecture_and_below",
        }
    }
}
