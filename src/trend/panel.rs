//! Fitting every series of a dataset at once, so that short series borrow strength from
//! their peers and ancestors: the [`PanelModel`] trait — fit the panel, predict from a fit,
//! describe the fitted model — and one implementation per model.

use std::collections::HashMap;

use super::describe::{
    describe_benchmark, describe_local, describe_logit, pooling, ModelDescription,
};
use super::dist::Predictive;
use super::fit::TrendFit;
pub use super::fit::{PanelFit, Series};
use super::hierarchy::Hierarchy;
use super::local::{fit_local, LocalConfig};
use super::models::{
    benchmark_residual, fit_benchmark, fit_logit, own_slope, residual_variance, LogitConfig,
    ModelKind, TrendConfig,
};
use super::pool::{pool_slopes, PriorSource, ResidualPrior, SlopePrior, SlopeSums};
use crate::model::Lang;

/// A trend model fitted to a whole panel at once (pooling needs every series).
pub trait PanelModel {
    /// The model's id, as in the `model` column and `--model` (e.g. `local_angular`).
    fn name(&self) -> &'static str;
    /// Fits every series of `series` (one fit per series, in input order).
    fn fit(&self, series: &[Series], hierarchy: &Hierarchy) -> PanelFit;
    /// The distribution of the value a survey will publish for `year`, from one series' fit
    /// ([`TrendFit::predictive_published`]; the level's is [`TrendFit::predictive`]).
    fn predict(&self, fit: &TrendFit, year: i32) -> Predictive {
        fit.predictive_published(year)
    }
    /// The model fitted to `series` — `fits` as [`PanelModel::fit`] returned them — in words:
    /// name, equations, the hyperparameters of this fit and how each level's slopes were
    /// pooled (the report's methods text and `backtest --describe`).
    fn describe(
        &self,
        series: &[Series],
        hierarchy: &Hierarchy,
        fits: &[Option<TrendFit>],
        lang: Lang,
    ) -> ModelDescription {
        let zh = lang == Lang::Zh;
        self.describe_with(series, hierarchy, pooling(series, fits, zh), zh)
    }
    /// [`PanelModel::describe`] given the `pooling` lines of the fits, in Chinese when `zh`.
    fn describe_with(
        &self,
        series: &[Series],
        hierarchy: &Hierarchy,
        pooling: Vec<String>,
        zh: bool,
    ) -> ModelDescription;
}

/// `local_angular` with its settings ([`super::local`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalAngular(pub LocalConfig);

/// The former default `logit_wls` with its settings (recency half-life, prior df, shrinkage).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogitWls(pub LogitConfig);

/// A benchmark model (`linear_pp`, `cagr`, `rw_drift_logit`, `drift_pp`): no pooling of slopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Benchmark(pub ModelKind);

impl PanelModel for LocalAngular {
    fn name(&self) -> &'static str {
        ModelKind::LocalAngular.name()
    }

    fn fit(&self, series: &[Series], hierarchy: &Hierarchy) -> PanelFit {
        PanelFit {
            residual: ResidualPrior::FALLBACK,
            fits: fit_local(series, hierarchy, &self.0).1,
        }
    }

    fn describe_with(
        &self,
        series: &[Series],
        hierarchy: &Hierarchy,
        pooling: Vec<String>,
        zh: bool,
    ) -> ModelDescription {
        describe_local(&self.0, series, hierarchy, pooling, zh)
    }
}

impl PanelModel for Benchmark {
    fn name(&self) -> &'static str {
        self.0.name()
    }

    /// The residual (step) variance pooled over the series that can estimate one serves
    /// the series too short to.
    fn fit(&self, series: &[Series], _: &Hierarchy) -> PanelFit {
        let model = self.0;
        let residual = ResidualPrior::pool(
            series
                .iter()
                .filter_map(|s| benchmark_residual(model, &s.points)),
        )
        .unwrap_or(ResidualPrior::fallback(model.scale()));
        let fits = series
            .iter()
            .map(|s| fit_benchmark(model, &s.points, &residual))
            .collect();
        PanelFit { residual, fits }
    }

    fn describe_with(
        &self,
        series: &[Series],
        _: &Hierarchy,
        pooling: Vec<String>,
        zh: bool,
    ) -> ModelDescription {
        describe_benchmark(self.0, series, pooling, zh)
    }
}

impl PanelModel for LogitWls {
    fn name(&self) -> &'static str {
        ModelKind::LogitWls.name()
    }

    /// Pooling (empirical Bayes, see [`fit_logit`]): a series is shrunk toward the
    /// random-effects mean slope of its siblings (same parent, the series itself left out)
    /// when at least 3 siblings have slopes; otherwise toward the slope of its nearest
    /// ancestor that has one, with the between-jurisdiction variance σ_b² of that ancestor's
    /// own peer group (or of all series). The root gets no prior.
    fn fit(&self, series: &[Series], hierarchy: &Hierarchy) -> PanelFit {
        let cfg = &self.0;
        let residual = ResidualPrior::pool(
            series
                .iter()
                .filter_map(|s| residual_variance(&s.points, cfg)),
        )
        .unwrap_or(ResidualPrior::FALLBACK);
        let pools = SlopePools::new(series, hierarchy, cfg, &residual);
        let fits = (0..series.len())
            .map(|i| {
                let prior = if cfg.shrink { pools.prior_for(i) } else { None };
                fit_logit(&series[i].points, cfg, prior.as_ref(), &residual)
            })
            .collect();
        PanelFit { residual, fits }
    }

    fn describe_with(
        &self,
        series: &[Series],
        _: &Hierarchy,
        pooling: Vec<String>,
        zh: bool,
    ) -> ModelDescription {
        describe_logit(&self.0, series, pooling, zh)
    }
}

/// The model of `kind` with the settings of `cfg`.
pub fn panel_model(kind: ModelKind, cfg: &TrendConfig) -> Box<dyn PanelModel> {
    match kind {
        ModelKind::LocalAngular => Box::new(LocalAngular(cfg.local)),
        ModelKind::LogitWls => Box::new(LogitWls(cfg.logit)),
        other => Box::new(Benchmark(other)),
    }
}

/// Fits `model` to every series. `parent_of` gives each jurisdiction's parent id (for any
/// jurisdiction of the registry, not only those with series). See [`PanelModel::fit`] of
/// each model for its pooling.
pub fn fit_panel(
    series: &[Series],
    parent_of: &HashMap<String, String>,
    cfg: &TrendConfig,
    model: ModelKind,
) -> PanelFit {
    panel_model(model, cfg).fit(series, &Hierarchy::new(parent_of))
}

/// The own slopes of a panel's series grouped by parent, for `logit_wls`'s slope priors.
struct SlopePools<'a> {
    series: &'a [Series],
    hierarchy: &'a Hierarchy<'a>,
    own: Vec<Option<(f64, f64)>>,
    own_by_id: HashMap<&'a str, (f64, f64)>,
    /// Parent id → sums of the members' slopes.
    groups: HashMap<&'a str, SlopeSums>,
    /// Parent id → (σ_b², Σw*, Σw*b): random-effects weights per group, computed once;
    /// members are left out by subtraction.
    group_pool: HashMap<&'a str, (f64, f64, f64)>,
    global_between: f64,
}

impl<'a> SlopePools<'a> {
    fn new(
        series: &'a [Series],
        hierarchy: &'a Hierarchy<'a>,
        cfg: &LogitConfig,
        residual: &ResidualPrior,
    ) -> SlopePools<'a> {
        let own: Vec<Option<(f64, f64)>> = series
            .iter()
            .map(|s| own_slope(&s.points, cfg, residual))
            .collect();
        let own_by_id = series
            .iter()
            .zip(&own)
            .filter_map(|(s, o)| o.map(|o| (s.id.as_str(), o)))
            .collect();
        // Groups of siblings: parent id → sums and members.
        let mut members: HashMap<&str, (SlopeSums, Vec<usize>)> = HashMap::new();
        let mut all = SlopeSums::default();
        for (i, s) in series.iter().enumerate() {
            if let Some((b, v)) = own[i] {
                let p = hierarchy.parent(&s.id).unwrap_or("");
                let g = members.entry(p).or_default();
                g.0.add(b, v);
                g.1.push(i);
                all.add(b, v);
            }
        }
        let global_between = all.between_var().unwrap_or(0.0);
        let mut group_pool = HashMap::new();
        for (p, (sums, idx)) in &members {
            let between = sums.between_var().unwrap_or(global_between);
            let (mut sw, mut swb) = (0.0, 0.0);
            for &i in idx {
                if let Some((b, v)) = own[i] {
                    let w = 1.0 / (v + between);
                    sw += w;
                    swb += w * b;
                }
            }
            group_pool.insert(*p, (between, sw, swb));
        }
        SlopePools {
            series,
            hierarchy,
            own,
            own_by_id,
            groups: members.into_iter().map(|(p, (s, _))| (p, s)).collect(),
            group_pool,
            global_between,
        }
    }

    /// The slope prior of series `i`: its siblings' (at least 3, itself left out), else its
    /// nearest ancestor's own slope; `None` for a root.
    fn prior_for(&self, i: usize) -> Option<SlopePrior> {
        let id = self.series[i].id.as_str();
        let parent = self.hierarchy.parent(id)?;
        if let (Some(sums), Some(&(between, sw, swb))) =
            (self.groups.get(parent), self.group_pool.get(parent))
        {
            let (k, sw, swb) = match self.own[i] {
                Some((b, v)) if v > 0.0 && v.is_finite() => {
                    let w = 1.0 / (v + between);
                    (sums.k() - 1, sw - w, swb - w * b)
                }
                _ => (sums.k(), sw, swb),
            };
            if k >= 3 && sw > 0.0 {
                return Some(SlopePrior {
                    slope: swb / sw,
                    var_mean: 1.0 / sw,
                    var_between: between,
                    k,
                    source: PriorSource::Peers {
                        parent: parent.to_string(),
                        k,
                    },
                });
            }
        }
        // Nearest ancestor with a slope of its own.
        let (a, &(b, v)) = self
            .hierarchy
            .ancestors(id)
            .find_map(|(a, _)| self.own_by_id.get(a).map(|o| (a, o)))?;
        let between = self
            .hierarchy
            .parent(a)
            .and_then(|pp| self.group_pool.get(pp))
            .map(|g| g.0)
            .unwrap_or(self.global_between);
        pool_slopes(&[(b, v)], 0.0, PriorSource::Ancestor { id: a.to_string() }).map(|p| {
            SlopePrior {
                var_between: between,
                ..p
            }
        })
    }
}
