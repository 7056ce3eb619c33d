//! Fitting every series of a dataset at once, so that short series borrow strength from
//! their peers and ancestors.

use std::collections::HashMap;

use super::models::{
    benchmark_residual, fit_benchmark, fit_logit, own_slope, residual_variance, ModelKind,
    TrendConfig, TrendFit, TrendPoint,
};
use super::pool::{pool_slopes, PriorSource, ResidualPrior, SlopePrior, SlopeSums};

/// One jurisdiction's series.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Jurisdiction id.
    pub id: String,
    /// Observations, sorted by year.
    pub points: Vec<TrendPoint>,
    /// The jurisdiction's administrative level, when known (`local_angular` imputes the
    /// sampling variance of prefecture and county figures published without a standard error).
    pub level: Option<crate::model::Level>,
}

/// The fits of a panel, aligned with the input series.
#[derive(Debug, Clone)]
pub struct PanelFit {
    /// Residual variance prior pooled over the panel (the fallback when none can be pooled,
    /// and always for `local_angular`).
    pub residual: ResidualPrior,
    /// One fit per input series, in input order (`None` where the model cannot be fitted).
    pub fits: Vec<Option<TrendFit>>,
}

/// Fits `model` to every series. `parent_of` gives each jurisdiction's parent id (for any
/// jurisdiction of the registry, not only those with series).
///
/// Pooling for the default model (empirical Bayes, see [`fit_logit`]): a series is shrunk
/// toward the random-effects mean slope of its siblings (same parent, the series itself
/// left out) when at least 3 siblings have slopes; otherwise toward the slope of its
/// nearest ancestor that has one, with the between-jurisdiction variance σ_b² of that
/// ancestor's own peer group (or of all series). The root gets no prior.
pub fn fit_panel(
    series: &[Series],
    parent_of: &HashMap<String, String>,
    cfg: &TrendConfig,
    model: ModelKind,
) -> PanelFit {
    if model == ModelKind::LocalAngular {
        let (_, fits) = super::local::fit_local_panel(series, parent_of, &cfg.local);
        return PanelFit {
            residual: ResidualPrior::FALLBACK,
            fits,
        };
    }
    if model != ModelKind::LogitWls {
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
        return PanelFit { residual, fits };
    }

    let residual = ResidualPrior::pool(
        series
            .iter()
            .filter_map(|s| residual_variance(&s.points, cfg)),
    )
    .unwrap_or(ResidualPrior::FALLBACK);
    let own: Vec<Option<(f64, f64)>> = series
        .iter()
        .map(|s| own_slope(&s.points, cfg, &residual))
        .collect();
    let own_by_id: HashMap<&str, (f64, f64)> = series
        .iter()
        .zip(&own)
        .filter_map(|(s, o)| o.map(|o| (s.id.as_str(), o)))
        .collect();

    // Groups of siblings: parent id → sums and members.
    let root = String::new();
    let mut groups: HashMap<&str, (SlopeSums, Vec<usize>)> = HashMap::new();
    let mut all = SlopeSums::default();
    for (i, s) in series.iter().enumerate() {
        if let Some((b, v)) = own[i] {
            let p = parent_of.get(&s.id).unwrap_or(&root);
            let g = groups.entry(p.as_str()).or_default();
            g.0.add(b, v);
            g.1.push(i);
            all.add(b, v);
        }
    }
    let global_between = all.between_var().unwrap_or(0.0);
    // Random-effects weights per group, computed once; members are left out by subtraction.
    let mut group_pool: HashMap<&str, (f64, f64, f64)> = HashMap::new(); // σ_b², Σw*, Σw*b
    for (p, (sums, members)) in &groups {
        let between = sums.between_var().unwrap_or(global_between);
        let (mut sw, mut swb) = (0.0, 0.0);
        for &i in members {
            if let Some((b, v)) = own[i] {
                let w = 1.0 / (v + between);
                sw += w;
                swb += w * b;
            }
        }
        group_pool.insert(p, (between, sw, swb));
    }

    let prior_for = |i: usize| -> Option<SlopePrior> {
        if !cfg.shrink {
            return None;
        }
        let id = series[i].id.as_str();
        let parent = parent_of.get(id)?;
        if let (Some((sums, _)), Some(&(between, sw, swb))) =
            (groups.get(parent.as_str()), group_pool.get(parent.as_str()))
        {
            let (k, sw, swb) = match own[i] {
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
                        parent: parent.clone(),
                        k,
                    },
                });
            }
        }
        // Nearest ancestor with a slope of its own.
        let mut cur = Some(parent.clone());
        let mut guard = 0;
        while let Some(a) = cur {
            guard += 1;
            if guard > 64 {
                break;
            }
            if let Some(&(b, v)) = own_by_id.get(a.as_str()) {
                let between = parent_of
                    .get(&a)
                    .and_then(|pp| group_pool.get(pp.as_str()))
                    .map(|g| g.0)
                    .unwrap_or(global_between);
                return pool_slopes(&[(b, v)], 0.0, PriorSource::Ancestor { id: a.clone() }).map(
                    |p| SlopePrior {
                        var_between: between,
                        ..p
                    },
                );
            }
            cur = parent_of.get(&a).cloned();
        }
        None
    };

    let fits = (0..series.len())
        .map(|i| fit_logit(&series[i].points, cfg, prior_for(i).as_ref(), &residual))
        .collect();
    PanelFit { residual, fits }
}
