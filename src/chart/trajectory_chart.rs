//! What a trajectory chart shows ([`TrajectoryChart`]): built from an assessment row or a
//! projection, with the observations' 80 % intervals and the source line that credits them.

use crate::assess::{AssessRow, Status};
use crate::model::{Dataset, Lang};
use crate::trend::Forecast;

/// One observed value with its 80 % interval (when se or n is known) — the level of the
/// intervals in the `assess` and `project` tables.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ObservedPoint {
    /// Survey year.
    pub year: i32,
    /// Observed value.
    pub value: f64,
    /// Lower end of the 80 % interval (10 % quantile).
    pub lo80: Option<f64>,
    /// Upper end of the 80 % interval (90 % quantile).
    pub hi80: Option<f64>,
}

/// Everything a trajectory chart shows (values in percent).
#[derive(Debug, Clone, PartialEq)]
pub struct TrajectoryChart {
    /// Chart title (jurisdiction and indicator, or the target year for candidate targets).
    pub title: String,
    /// Subtitle (status and P(reach), or how to read the candidate ticks).
    pub subtitle: String,
    /// Observations with their intervals.
    pub observed: Vec<ObservedPoint>,
    /// Baseline (year, value), drawn as the start of the required path.
    pub baseline: Option<(i32, f64)>,
    /// Target (year, value).
    pub target: (i32, f64),
    /// Yearly forecasts from the latest observation to the target year.
    pub projection: Vec<Forecast>,
    /// Year of the as-of line, if drawn.
    pub as_of: Option<i32>,
    /// Status, which colours the subtitle (`None` for candidate targets).
    pub status: Option<Status>,
    /// Source line under the chart.
    pub source: String,
    /// Candidate targets at the target year (probability, value), drawn instead of the
    /// plan target (`litmon chart --kind targets`).
    pub candidates: Vec<(f64, f64)>,
    /// Wording of the target (超过, 达到, 力争, 左右), shown beside its value.
    pub qualifier: Option<crate::model::Qualifier>,
}

impl TrajectoryChart {
    /// Builds the chart of an assessment row from the dataset it was computed on.
    ///
    /// Observation intervals: see `observed_points` (80 %, the tables' level).
    pub fn from_assessment(ds: &Dataset, row: &AssessRow, lang: Lang, as_of: Option<i32>) -> Self {
        let series = ds.series(&row.jurisdiction, &row.indicator);
        let observed = observed_points(&series);
        // The data-age rule of `project` and `targets` ([`crate::assess::is_stale`] against
        // the indicator's latest data year): a stale latest value is not projected.
        let now = ds
            .observations
            .iter()
            .filter(|o| o.indicator == row.indicator)
            .map(|o| o.year)
            .max()
            .unwrap_or(i32::MIN);
        let projection = match (&row.detail.fit, row.latest_year) {
            // A measured target year is not projected.
            _ if row.detail.measured => Vec::new(),
            (_, Some(last)) if crate::assess::is_stale(last, now) => Vec::new(),
            (Some(fit), Some(last)) => (last..=row.target_year.max(last))
                .map(|y| fit.predictive_published(y).forecast(y))
                .collect(),
            _ => Vec::new(),
        };
        let name = ds
            .jurisdiction(&row.jurisdiction)
            .map(|j| j.name(lang).to_string())
            .unwrap_or_else(|| row.jurisdiction.clone());
        let spec = ds.indicator_spec(&row.indicator);
        let ind_name = spec
            .as_ref()
            .map(|s| s.name(lang).to_string())
            .unwrap_or_else(|| row.indicator.clone());
        let subtitle = crate::assess::wording::trajectory_subtitle(row, lang);
        let plan_title_en = ds
            .targets_of(&row.indicator)
            .into_iter()
            .find(|(p, _)| p.plan.jurisdiction == row.jurisdiction)
            .and_then(|(p, _)| p.plan.title_en.clone());
        let credit = source_line(&series, lang);
        let source = match lang {
            Lang::Zh => {
                let plan = format!("目标：{}", row.detail.plan_title_zh);
                if credit.is_empty() {
                    plan
                } else {
                    format!("{credit}；{plan}")
                }
            }
            Lang::En => {
                let title = plan_title_en.unwrap_or_else(|| row.detail.plan_title_zh.clone());
                if credit.is_empty() {
                    format!("Target: {title}")
                } else {
                    format!("{credit}; target: {title}")
                }
            }
        };
        TrajectoryChart {
            title: format!("{name}　{ind_name}"),
            subtitle,
            observed,
            baseline: row.baseline_year.zip(row.baseline),
            target: (row.target_year, row.target),
            projection,
            as_of,
            status: Some(row.status),
            source,
            candidates: Vec::new(),
            qualifier: row.detail.qualifier,
        }
    }
}

impl TrajectoryChart {
    /// The target-setting chart: observations, the projection fan from the latest value to
    /// `year` (the same predictive distribution as `project`), and the candidate targets
    /// (probability, value) of `litmon targets` at `year`.
    pub fn targets(
        ds: &Dataset,
        jurisdiction: &str,
        indicator: &str,
        year: i32,
        candidates: Vec<(f64, f64)>,
        fit: &crate::trend::TrendFit,
        lang: Lang,
    ) -> Self {
        let series = ds.series(jurisdiction, indicator);
        let observed = observed_points(&series);
        let last = series.last().map_or(year, |o| o.year);
        let projection = (last..=year.max(last))
            .map(|y| fit.predictive_published(y).forecast(y))
            .collect();
        let name = ds
            .jurisdiction(jurisdiction)
            .map(|j| j.name(lang).to_string())
            .unwrap_or_else(|| jurisdiction.to_string());
        let (title, subtitle) = match lang {
            Lang::Zh => (
                format!("{name}　{year}年目标测算"),
                "每条刻度：按当前趋势，到该年以所示概率可以达到的值",
            ),
            Lang::En => (
                format!("{name} · candidate targets for {year}"),
                "Each tick: the value reached by that year with the stated probability on the current trend",
            ),
        };
        TrajectoryChart {
            title,
            subtitle: subtitle.to_string(),
            observed,
            baseline: None,
            target: (year, candidates.first().map_or(0.0, |c| c.1)),
            projection,
            as_of: None,
            status: None,
            source: source_line(&series, lang),
            candidates,
            qualifier: None,
        }
    }
}

/// Observed points with their 80 % intervals: the 10 % and 90 % quantiles of
/// [`crate::assess::measurement_distribution`] (value ± 1.2816·se, clipped to 0–100), the
/// distribution and level the `assess` table gives a measured value. The se is the
/// observation's; else, with a sample size n, the binomial 100·√(p(1−p)/n) (percent).
pub(crate) fn observed_points(series: &[&crate::model::Observation]) -> Vec<ObservedPoint> {
    series
        .iter()
        .map(|o| {
            let se = o.se.filter(|s| *s > 0.0 && s.is_finite()).or_else(|| {
                o.n.filter(|n| *n > 0.0).map(|n| {
                    let p = (o.value / 100.0).clamp(0.0, 1.0);
                    100.0 * (p * (1.0 - p) / n).sqrt()
                })
            });
            let f = se
                .filter(|s| *s > 0.0)
                .map(|se| crate::assess::measurement_distribution(o.value, se).forecast(o.year));
            ObservedPoint {
                year: o.year,
                value: o.value,
                lo80: f.map(|f| f.lo80),
                hi80: f.map(|f| f.hi80),
            }
        })
        .collect()
}

/// The footer's data credit: the observations' citations (publisher and date), else the
/// web hosts they were read from — never file names or internal ids.
pub(crate) fn source_line(series: &[&crate::model::Observation], lang: Lang) -> String {
    // Most recent figures first: they carry the chart's message.
    let user = match lang {
        Lang::Zh => "用户提供的数据",
        Lang::En => "data supplied by the user",
    };
    let credits = source_summary(series.iter().rev().filter_map(|o| {
        if o.source.trim_start().starts_with("seed") {
            // A figure read from a plan document: the plan is credited beside the target.
            return None;
        }
        Some(match o.cite.as_deref().filter(|c| !c.trim().is_empty()) {
            // Publishers and dates, never the carrying sites a figure was read from.
            Some(c) => crate::assess::wording::without_hosts(c),
            None => user.to_string(),
        })
    }));
    match (lang, credits.is_empty()) {
        (Lang::Zh, false) => format!("数据来源：{credits}"),
        (Lang::Zh, true) => String::new(),
        (Lang::En, false) => format!("Source: {credits}"),
        (Lang::En, true) => String::new(),
    }
}

/// Short list of the credits of a chart's figures: the first three distinct ones, then "…".
fn source_summary(credits: impl Iterator<Item = String>) -> String {
    let mut out: Vec<String> = Vec::new();
    for c in credits {
        let c: String = c.trim().chars().take(80).collect();
        if !c.is_empty() && !out.contains(&c) {
            out.push(c);
        }
    }
    if out.len() > 3 {
        out.truncate(3);
        out.push("…".into());
    }
    out.join(", ")
}
