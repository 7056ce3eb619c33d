//! The report's narrative paragraph about one assessment row, decided once and independent of
//! the language: a list of [`Clause`]s carrying the numbers and names, which a
//! [`Wording`](super::Wording) renders in Chinese or English.
//!
//! Every number in a paragraph is a field of the row (or computed from the row's fitted
//! predictive distribution, for the value that would put the jurisdiction on track),
//! formatted with two decimals by the wording.

use crate::assess::{AssessRow, OfficialCategory, Status, StatusRule};
use crate::model::{Jurisdiction, Qualifier};
use crate::trend::dist::std_quantile;
use crate::trend::PriorSource;

/// Where the trend of a row without a later survey value comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TrendOrigin<'a> {
    /// Fitted to the place's own `n_obs` survey values.
    Own {
        /// Survey values fitted.
        n_obs: usize,
    },
    /// Borrowed from peers or a parent.
    Borrowed(&'a PriorSource),
}

/// One clause of a narrative paragraph, in the order it is read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Clause<'a> {
    /// The row cannot be assessed: its reason, and the target.
    Unassessed {
        /// The row's reason (already in the output language).
        reason: &'a str,
        /// Target year.
        target_year: i32,
        /// Target value (%).
        target: f64,
    },
    /// The baseline value (opens the paragraph).
    Baseline {
        /// Baseline year.
        year: i32,
        /// Baseline value (%).
        value: f64,
    },
    /// The latest survey value, when later than the baseline.
    Latest {
        /// Latest year.
        year: i32,
        /// Latest value (%).
        value: f64,
    },
    /// The target and the pace it needs from the baseline (pp/yr).
    Required {
        /// Baseline year.
        from: i32,
        /// Target year.
        target_year: i32,
        /// Target value (%).
        target: f64,
        /// The plan's wording of the target.
        qualifier: Option<Qualifier>,
        /// Required pace (pp/yr).
        pace: f64,
    },
    /// The observed pace since the baseline, with the CAGR ratio and official category when
    /// known.
    Observed {
        /// Baseline year.
        since: i32,
        /// Observed pace (pp/yr).
        pace: f64,
        /// CAGR ratio and official category.
        category: Option<(f64, OfficialCategory)>,
    },
    /// No survey value after the baseline; the trend's pace (pp/yr) and origin when known.
    NoLaterValue {
        /// Baseline year.
        since: i32,
        /// The model's pace and where its trend comes from.
        trend: Option<(f64, TrendOrigin<'a>)>,
    },
    /// The end of the first sentence.
    FullStop,
    /// The final evaluation of a measured target year.
    Final {
        /// The row (its measured verdict is worded by the language).
        row: &'a AssessRow,
    },
    /// The projection for the target year with its 80 % interval and P(reach).
    Projection {
        /// Target year.
        target_year: i32,
        /// Projected median (%).
        median: f64,
        /// 80 % interval (%).
        interval: (f64, f64),
        /// P(reach).
        p_reach: f64,
        /// Status.
        status: Status,
    },
    /// The status alone (no projection).
    StatusOnly(Status),
    /// The latest value already meets the target beyond its sampling error.
    AchievedEarly,
    /// What it would take to be on track: the target-year median and the pace from the
    /// latest year.
    OnTrackNeeds {
        /// The rule's `on_track_p`.
        p: f64,
        /// Target year.
        target_year: i32,
        /// Required projected median (%).
        median: f64,
        /// Latest year.
        from: i32,
        /// Pace from the latest value (pp/yr).
        pace: f64,
    },
}

/// A narrative paragraph: the place it speaks of and its clauses.
#[derive(Debug, Clone, PartialEq)]
pub struct Narrative<'a> {
    /// The jurisdiction (`None`: not in the registry; its id names it).
    pub place: Option<&'a Jurisdiction>,
    /// The jurisdiction id.
    pub id: &'a str,
    /// The clauses, in order.
    pub clauses: Vec<Clause<'a>>,
}

/// The projected target-year median that gives P(reach) = `rule.on_track_p`, and the pace
/// from the latest value to it: with the predictive μ + σ·Z on the logit scale,
/// P = 1 − F((g(y*) − μ)/σ) = p₀ ⇔ μ₀ = g(y*) + σ·F⁻¹(p₀); value g⁻¹(μ₀),
/// pace (g⁻¹(μ₀) − y_t)/(T − t) pp/yr.
pub fn on_track_requirement(row: &AssessRow, rule: &StatusRule) -> Option<(f64, f64)> {
    let fit = row.detail.fit.as_ref()?;
    let (t, yt) = (row.latest_year?, row.latest?);
    if row.target_year <= t {
        return None;
    }
    let pred = fit.predictive(row.target_year);
    let mu0 = pred.scale.from_pct(row.target) + pred.sd * std_quantile(rule.on_track_p, pred.df);
    let value = pred.scale.to_pct(mu0);
    Some((value, (value - yt) / f64::from(row.target_year - t)))
}

impl<'a> Narrative<'a> {
    /// The paragraph for `row` of the place `place` (looked up by the caller).
    pub fn of(place: Option<&'a Jurisdiction>, row: &'a AssessRow, rule: &StatusRule) -> Self {
        let clauses = clauses(row, rule);
        Narrative {
            place,
            id: &row.jurisdiction,
            clauses,
        }
    }
}

/// The decision tree of the paragraph, once for every language.
fn clauses<'a>(row: &'a AssessRow, rule: &StatusRule) -> Vec<Clause<'a>> {
    let (ty, target) = (row.target_year, row.target);
    let (Some(b), Some(yb), Some(t), Some(yt), Some(req)) = (
        row.baseline_year,
        row.baseline,
        row.latest_year,
        row.latest,
        row.required_per_year,
    ) else {
        return vec![Clause::Unassessed {
            reason: &row.reason,
            target_year: ty,
            target,
        }];
    };
    let mut c = vec![Clause::Baseline { year: b, value: yb }];
    if t > b {
        c.push(Clause::Latest { year: t, value: yt });
    }
    c.push(Clause::Required {
        from: b,
        target_year: ty,
        target,
        qualifier: row.detail.qualifier,
        pace: req,
    });
    c.push(match row.observed_per_year {
        Some(obs) => Clause::Observed {
            since: b,
            pace: obs,
            category: row.cagr_ratio.zip(row.official_category),
        },
        None => Clause::NoLaterValue {
            since: b,
            trend: trend_origin(row),
        },
    });
    c.push(Clause::FullStop);
    if row.detail.measured {
        c.push(Clause::Final { row });
        return c;
    }
    c.push(match (row.projected, row.lo80, row.hi80, row.p_reach) {
        (Some(median), Some(lo), Some(hi), Some(p_reach)) => Clause::Projection {
            target_year: ty,
            median,
            interval: (lo, hi),
            p_reach,
            status: row.status,
        },
        _ => Clause::StatusOnly(row.status),
    });
    match row.status {
        Status::Achieved => c.push(Clause::AchievedEarly),
        Status::OnTrack => {}
        _ => {
            if let Some((median, pace)) = on_track_requirement(row, rule) {
                c.push(Clause::OnTrackNeeds {
                    p: rule.on_track_p,
                    target_year: ty,
                    median,
                    from: t,
                    pace,
                });
            }
        }
    }
    c
}

/// The trend pace of a row without a later survey value, and where the trend comes from.
fn trend_origin(row: &AssessRow) -> Option<(f64, TrendOrigin<'_>)> {
    let (f, pace) = (row.detail.fit.as_ref()?, row.detail.model_pace_pp?);
    if f.own_slope.is_some() {
        Some((pace, TrendOrigin::Own { n_obs: row.n_obs }))
    } else {
        f.prior_source
            .as_ref()
            .map(|src| (pace, TrendOrigin::Borrowed(src)))
    }
}
