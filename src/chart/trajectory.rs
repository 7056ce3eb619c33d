//! The trajectory chart of one jurisdiction and indicator: observations with 95 % intervals,
//! the required path from baseline to target, the projection median with 80 % and 95 % fans,
//! the target, an optional as-of line, status and P(reach) in the subtitle, and a source line.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::palette::{FAN, GRID, INK, MUTED, REQUIRED, TARGET};
use super::{draw_err, ensure_font, finish_svg, ChartStyle, Svg, FONT_FAMILY};
use crate::assess::style::status_style;
use crate::assess::{AssessRow, Status};
use crate::error::Result;
use crate::model::format::percent_1dp;
use crate::model::{Dataset, Lang};
use crate::trend::Forecast;

/// One observed value with its 95 % interval (when se or n is known).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ObservedPoint {
    /// Survey year.
    pub year: i32,
    /// Observed value.
    pub value: f64,
    /// Lower end of the 95 % interval.
    pub lo95: Option<f64>,
    /// Upper end of the 95 % interval.
    pub hi95: Option<f64>,
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
    /// Observation intervals: value ± 1.96·se when se is known; else, with a sample size n,
    /// the binomial normal approximation ± 1.96·√(p(1−p)/n) (percent).
    pub fn from_assessment(ds: &Dataset, row: &AssessRow, lang: Lang, as_of: Option<i32>) -> Self {
        let zh = lang == Lang::Zh;
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
                .map(|y| fit.predictive(y).forecast(y))
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
            .map(|s| {
                if zh || s.name_en.is_empty() {
                    s.name_zh.clone()
                } else {
                    s.name_en.clone()
                }
            })
            .unwrap_or_else(|| row.indicator.clone());
        let subtitle = crate::assess::wording::trajectory_subtitle(row, lang);
        let plan_title_en = ds
            .targets_of(&row.indicator)
            .into_iter()
            .find(|(p, _)| p.plan.jurisdiction == row.jurisdiction)
            .and_then(|(p, _)| p.plan.title_en.clone());
        let credit = source_line(&series, lang);
        let source = if zh {
            let plan = format!("目标：{}", row.detail.plan_title_zh);
            if credit.is_empty() {
                plan
            } else {
                format!("{credit}；{plan}")
            }
        } else {
            let title = plan_title_en.unwrap_or_else(|| row.detail.plan_title_zh.clone());
            if credit.is_empty() {
                format!("Target: {title}")
            } else {
                format!("{credit}; target: {title}")
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
        let zh = lang == Lang::Zh;
        let series = ds.series(jurisdiction, indicator);
        let observed = observed_points(&series);
        let last = series.last().map_or(year, |o| o.year);
        let projection = (last..=year.max(last))
            .map(|y| fit.predictive(y).forecast(y))
            .collect();
        let name = ds
            .jurisdiction(jurisdiction)
            .map(|j| j.name(lang).to_string())
            .unwrap_or_else(|| jurisdiction.to_string());
        let title = if zh {
            format!("{name}　{year}年目标测算")
        } else {
            format!("{name} · candidate targets for {year}")
        };
        let subtitle = if zh {
            "每条刻度：按当前趋势，到该年以所示概率可以达到的值".to_string()
        } else {
            "Each tick: the value reached by that year with the stated probability on the current trend".to_string()
        };
        TrajectoryChart {
            title,
            subtitle,
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

/// Observed points with their 95 % intervals: value ± 1.96·se when se is known; else, with
/// a sample size n, the binomial normal approximation ± 1.96·√(p(1−p)/n) (percent).
fn observed_points(series: &[&crate::model::Observation]) -> Vec<ObservedPoint> {
    series
        .iter()
        .map(|o| {
            let half = o.se.map(|se| 1.96 * se).or_else(|| {
                o.n.filter(|n| *n > 0.0).map(|n| {
                    let p = o.value / 100.0;
                    1.96 * 100.0 * (p * (1.0 - p) / n).sqrt()
                })
            });
            ObservedPoint {
                year: o.year,
                value: o.value,
                lo95: half.map(|h| (o.value - h).max(0.0)),
                hi95: half.map(|h| (o.value + h).min(100.0)),
            }
        })
        .collect()
}

/// The footer's data credit: the observations' citations (publisher and date), else the
/// web hosts they were read from — never file names or internal ids.
fn source_line(series: &[&crate::model::Observation], lang: Lang) -> String {
    // Most recent figures first: they carry the chart's message.
    let credits = source_summary(series.iter().rev().map(|o| {
        o.cite
            .as_deref()
            .filter(|c| !c.is_empty())
            .unwrap_or(o.source.as_str())
    }));
    match (lang, credits.is_empty()) {
        (Lang::Zh, false) => format!("数据来源：{credits}"),
        (Lang::Zh, true) => String::new(),
        (Lang::En, false) => format!("Source: {credits}"),
        (Lang::En, true) => String::new(),
    }
}

/// Short list of where values came from: web hosts, or the text of non-URL sources.
fn source_summary<'a>(sources: impl Iterator<Item = &'a str>) -> String {
    let mut out: Vec<String> = Vec::new();
    for s in sources {
        let s = s.trim();
        let s = s.strip_prefix("DERIVED:").unwrap_or(s).trim();
        if s.starts_with("seed") {
            // A figure read from a plan document: the plan is credited beside the target.
            continue;
        }
        let item = match s.find("://") {
            Some(i) => s[i + 3..].split('/').next().unwrap_or("").to_string(),
            None => s.chars().take(60).collect(),
        };
        if !item.is_empty() && !out.contains(&item) {
            out.push(item);
        }
    }
    if out.len() > 3 {
        out.truncate(3);
        out.push("…".into());
    }
    out.join(", ")
}

/// Draws the trajectory chart as SVG.
///
/// The steps, in drawing order (later ones are drawn over earlier ones, and the legend lists
/// the labelled series in this order): header and source line, axes, projection fans, required
/// path, as-of line, observations, then the plan target or the candidate targets, and the legend.
pub fn trajectory(c: &TrajectoryChart, style: &ChartStyle) -> Result<Svg> {
    ensure_font()?;
    let zh = style.zh();
    let (w, h) = (style.width, style.height);
    let font = |size: f64| (FONT_FAMILY, style.px(size)).into_font();
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        let header = style.px(120);
        let footer = style.px(56);
        let (top, rest) = root.split_vertically(header);
        let (mid, bottom) = rest.split_vertically(h.saturating_sub(header + footer));
        draw_titles(&top, &bottom, c, style, &font)?;

        let axes = Axes::of(c);
        let mut chart = ChartBuilder::on(&mid)
            .margin_left(style.px(20))
            .margin_right(style.px(40))
            .margin_top(style.px(10))
            .x_label_area_size(style.px(56))
            .y_label_area_size(style.px(90))
            .build_cartesian_2d(axes.x0..axes.x1, 0.0..axes.y1)
            .map_err(draw_err)?;
        draw_mesh(&mut chart, &axes, &font, zh)?;

        // Fans first, so that everything else is drawn over them.
        draw_fans(&mut chart, c, zh)?;
        draw_required_path(&mut chart, c, zh)?;
        draw_as_of(&mut chart, c, axes.y1, &font, zh)?;
        draw_observations(&mut chart, c, &axes, style, &font, zh)?;

        let ranges = (axes.x0, axes.x1, axes.y1);
        if c.candidates.is_empty() {
            draw_target(&mut chart, c, ranges, &font, zh)?;
        } else {
            draw_candidates(&mut chart, c, ranges, &font)?;
        }

        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .margin(style.px(14))
            .label_font(font(20.0).color(&INK))
            .background_style(WHITE.mix(0.92))
            .border_style(GRID)
            .draw()
            .map_err(draw_err)?;
        root.present().map_err(draw_err)?;
    }
    Ok(finish_svg(buf, style))
}

type Chart2d<'a, 'b> = ChartContext<
    'a,
    SVGBackend<'b>,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

type Area<'b> = DrawingArea<SVGBackend<'b>, Shift>;

/// The title and the status-coloured subtitle in the header band, and the source line
/// (shortened to the chart's width) in the footer band.
fn draw_titles<'f>(
    top: &Area<'_>,
    bottom: &Area<'_>,
    c: &TrajectoryChart,
    style: &ChartStyle,
    font: &dyn Fn(f64) -> FontDesc<'f>,
) -> Result<()> {
    let left = style.px(36) as i32;
    top.draw_text(
        &c.title,
        &font(40.0).color(&INK),
        (left, style.px(22) as i32),
    )
    .map_err(draw_err)?;
    let sub_color = c.status.map(|s| status_style(s).color).unwrap_or(MUTED);
    top.draw_text(
        &c.subtitle,
        &font(26.0).color(&sub_color),
        (left, style.px(74) as i32),
    )
    .map_err(draw_err)?;
    bottom
        .draw_text(
            &super::fit_text(
                &c.source,
                f64::from(style.width) - 2.0 * f64::from(left),
                style.px(18.0) as f64,
            ),
            &font(18.0).color(&MUTED),
            (left, style.px(14) as i32),
        )
        .map_err(draw_err)?;
    Ok(())
}

/// The plotted ranges: years `x0..x1` and values `0..y1` (percent).
struct Axes {
    /// Left end of the year axis (half a year before the first year shown).
    x0: f64,
    /// Right end of the year axis, with room for the target labels.
    x1: f64,
    /// Top of the value axis.
    y1: f64,
    /// Last year shown; no year label is drawn beyond it.
    last_year: f64,
}

impl Axes {
    /// Axis ranges: every year shown, the target year with room for its labels; the value axis
    /// up to a nice ceiling above every value, interval end and candidate drawn.
    fn of(c: &TrajectoryChart) -> Self {
        let mut years: Vec<i32> = c.observed.iter().map(|o| o.year).collect();
        years.extend(c.baseline.map(|b| b.0));
        years.push(c.target.0);
        years.extend(c.projection.iter().map(|f| f.year));
        years.extend(c.as_of);
        let x0 = f64::from(*years.iter().min().unwrap_or(&c.target.0)) - 0.6;
        // Room right of the target year for the "target"/"projected" labels (~13 % of the span).
        let first = f64::from(*years.iter().min().unwrap_or(&c.target.0));
        let last = f64::from(*years.iter().max().unwrap_or(&c.target.0));
        let x1 = last + (0.15 * (last - first + 1.0) + 0.4).max(1.6);
        let mut top_val = c.target.1;
        for o in &c.observed {
            top_val = top_val.max(o.hi95.unwrap_or(o.value));
        }
        for f in &c.projection {
            top_val = top_val.max(f.hi95);
        }
        for (_, v) in &c.candidates {
            top_val = top_val.max(*v);
        }
        let y1 = nice_ceiling((top_val * 1.12).min(100.0));
        Axes {
            x0,
            x1,
            y1,
            last_year: last,
        }
    }
}

/// The grid and axis labels: whole years every 1, 2 or 5 years (by the span shown), none past
/// the last year; values as whole percents.
fn draw_mesh<'f>(
    chart: &mut Chart2d<'_, '_>,
    axes: &Axes,
    font: &dyn Fn(f64) -> FontDesc<'f>,
    zh: bool,
) -> Result<()> {
    let last_year = axes.last_year;
    let span = (axes.x1 - axes.x0).round() as usize;
    let year_step = if span <= 14 {
        1
    } else if span <= 30 {
        2
    } else {
        5
    };
    chart
        .configure_mesh()
        .light_line_style(GRID.mix(0.0))
        .bold_line_style(GRID)
        .axis_style(MUTED)
        .x_labels(span / year_step + 2)
        .x_label_formatter(&|x| {
            let r = x.round();
            if (x - r).abs() < 1e-6 && (r as i64) % year_step as i64 == 0 && r <= last_year {
                format!("{r:.0}")
            } else {
                String::new()
            }
        })
        .y_labels(8)
        .y_label_formatter(&|y| format!("{y:.0}%"))
        .x_desc(if zh { "年份" } else { "Year" })
        .y_desc(if zh { "比例（%）" } else { "Share (%)" })
        .label_style(font(22.0).color(&INK))
        .axis_desc_style(font(22.0).color(&MUTED))
        .draw()
        .map_err(draw_err)?;
    Ok(())
}

/// The projection's 95 % and 80 % fans and its median line (only with two or more years).
fn draw_fans(chart: &mut Chart2d<'_, '_>, c: &TrajectoryChart, zh: bool) -> Result<()> {
    if c.projection.len() < 2 {
        return Ok(());
    }
    let band = |lo: fn(&Forecast) -> f64, hi: fn(&Forecast) -> f64| -> Vec<(f64, f64)> {
        let mut pts: Vec<(f64, f64)> = c
            .projection
            .iter()
            .map(|f| (f64::from(f.year), hi(f)))
            .collect();
        pts.extend(
            c.projection
                .iter()
                .rev()
                .map(|f| (f64::from(f.year), lo(f))),
        );
        pts
    };
    chart
        .draw_series(std::iter::once(Polygon::new(
            band(|f| f.lo95, |f| f.hi95),
            FAN.mix(0.13).filled(),
        )))
        .map_err(draw_err)?
        .label(if zh {
            "95%预测区间"
        } else {
            "95% interval"
        })
        .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 20, y + 6)], FAN.mix(0.13).filled()));
    chart
        .draw_series(std::iter::once(Polygon::new(
            band(|f| f.lo80, |f| f.hi80),
            FAN.mix(0.28).filled(),
        )))
        .map_err(draw_err)?
        .label(if zh {
            "80%预测区间"
        } else {
            "80% interval"
        })
        .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 20, y + 6)], FAN.mix(0.28).filled()));
    chart
        .draw_series(LineSeries::new(
            c.projection.iter().map(|f| (f64::from(f.year), f.median)),
            FAN.stroke_width(3),
        ))
        .map_err(draw_err)?
        .label(if zh {
            "预测中位数"
        } else {
            "Projection (median)"
        })
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], FAN.stroke_width(3)));
    Ok(())
}

/// The required path: a dashed line from the baseline to the target (when there is a baseline).
fn draw_required_path(chart: &mut Chart2d<'_, '_>, c: &TrajectoryChart, zh: bool) -> Result<()> {
    let Some((by, bv)) = c.baseline else {
        return Ok(());
    };
    chart
        .draw_series(DashedLineSeries::new(
            vec![(f64::from(by), bv), (f64::from(c.target.0), c.target.1)],
            10,
            7,
            REQUIRED.stroke_width(2),
        ))
        .map_err(draw_err)?
        .label(if zh {
            "达标所需路径"
        } else {
            "Required path"
        })
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], REQUIRED.stroke_width(2)));
    Ok(())
}

/// The as-of year: a dashed vertical line, labelled at its top (when an as-of year is set).
fn draw_as_of<'f>(
    chart: &mut Chart2d<'_, '_>,
    c: &TrajectoryChart,
    y1: f64,
    font: &dyn Fn(f64) -> FontDesc<'f>,
    zh: bool,
) -> Result<()> {
    let Some(a) = c.as_of else {
        return Ok(());
    };
    let ax = f64::from(a);
    chart
        .draw_series(DashedLineSeries::new(
            vec![(ax, 0.0), (ax, y1)],
            6,
            6,
            MUTED.stroke_width(1),
        ))
        .map_err(draw_err)?;
    let label = if zh {
        format!("评估时点 {a}")
    } else {
        format!("as of {a}")
    };
    chart
        .draw_series(std::iter::once(Text::new(
            label,
            (ax, y1 * 0.97),
            font(20.0)
                .color(&MUTED)
                .pos(Pos::new(HPos::Right, VPos::Top)),
        )))
        .map_err(draw_err)?;
    Ok(())
}

/// Observations with their 95 % intervals (capped whiskers), a dot each, and the value
/// written to the left of the dot.
fn draw_observations<'f>(
    chart: &mut Chart2d<'_, '_>,
    c: &TrajectoryChart,
    axes: &Axes,
    style: &ChartStyle,
    font: &dyn Fn(f64) -> FontDesc<'f>,
    zh: bool,
) -> Result<()> {
    let cap = (axes.x1 - axes.x0) * 0.006;
    for o in &c.observed {
        if let (Some(lo), Some(hi)) = (o.lo95, o.hi95) {
            let x = f64::from(o.year);
            chart
                .draw_series([
                    PathElement::new(vec![(x, lo), (x, hi)], INK.stroke_width(2)),
                    PathElement::new(vec![(x - cap, lo), (x + cap, lo)], INK.stroke_width(2)),
                    PathElement::new(vec![(x - cap, hi), (x + cap, hi)], INK.stroke_width(2)),
                ])
                .map_err(draw_err)?;
        }
    }
    let dot = style.px(8);
    chart
        .draw_series(
            c.observed
                .iter()
                .map(|o| Circle::new((f64::from(o.year), o.value), dot, INK.filled())),
        )
        .map_err(draw_err)?
        .label(if zh {
            "调查值（95%置信区间）"
        } else {
            "Survey value (95% CI)"
        })
        .legend(move |(x, y)| Circle::new((x + 10, y), 6, INK.filled()));
    for o in &c.observed {
        chart
            .draw_series(std::iter::once(Text::new(
                format!("{:.2} ", o.value),
                (f64::from(o.year) - (axes.x1 - axes.x0) * 0.008, o.value),
                font(18.0)
                    .color(&INK)
                    .pos(Pos::new(HPos::Right, VPos::Center)),
            )))
            .map_err(draw_err)?;
    }
    Ok(())
}

/// The plan target (a diamond) and the projected median at the target year, labelled.
fn draw_target<'f>(
    chart: &mut Chart2d<'_, '_>,
    c: &TrajectoryChart,
    (x0, x1, y1): (f64, f64, f64),
    font: &dyn Fn(f64) -> FontDesc<'f>,
    zh: bool,
) -> Result<()> {
    let (ty, tv) = (f64::from(c.target.0), c.target.1);
    let d = (x1 - x0) * 0.012;
    let dv = y1 * 0.018;
    chart
        .draw_series(std::iter::once(Polygon::new(
            vec![(ty, tv + dv), (ty + d, tv), (ty, tv - dv), (ty - d, tv)],
            TARGET.filled(),
        )))
        .map_err(draw_err)?
        .label(if zh { "目标值" } else { "Target" })
        .legend(|(x, y)| {
            Polygon::new(
                vec![(x + 10, y - 7), (x + 17, y), (x + 10, y + 7), (x + 3, y)],
                TARGET.filled(),
            )
        });
    let lang = if zh { Lang::Zh } else { Lang::En };
    let words = crate::model::Qualifier::phrase(c.qualifier, &percent_1dp(tv), lang);
    let target_label = if zh {
        format!("目标 {words}")
    } else {
        format!("target {words}")
    };
    chart
        .draw_series(std::iter::once(Text::new(
            target_label,
            (ty + 2.0 * d, tv),
            font(22.0)
                .color(&TARGET)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        )))
        .map_err(draw_err)?;
    if let Some(f) = c.projection.last() {
        let label = if zh {
            format!("预测 {}", percent_1dp(f.median))
        } else {
            format!("proj. {}", percent_1dp(f.median))
        };
        // Keep the two labels apart when the values are close.
        let gap = y1 * 0.05;
        let ly = if (f.median - tv).abs() < gap {
            if f.median >= tv {
                tv + gap
            } else {
                tv - gap
            }
        } else {
            f.median
        };
        chart
            .draw_series(std::iter::once(Text::new(
                label,
                (ty + 2.0 * d, ly),
                font(22.0)
                    .color(&FAN)
                    .pos(Pos::new(HPos::Left, VPos::Center)),
            )))
            .map_err(draw_err)?;
    }

    Ok(())
}

/// Candidate targets at the target year: one tick per probability, labelled
/// 「P=0.80 → 15.20%」 (the value reached with that probability).
fn draw_candidates<'f>(
    chart: &mut Chart2d<'_, '_>,
    c: &TrajectoryChart,
    (x0, x1, _y1): (f64, f64, f64),
    font: &dyn Fn(f64) -> FontDesc<'f>,
) -> Result<()> {
    let ty = f64::from(c.target.0);
    let d = (x1 - x0) * 0.015;
    for (p, v) in &c.candidates {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(ty - d, *v), (ty + d, *v)],
                TARGET.stroke_width(4),
            )))
            .map_err(draw_err)?;
        chart
            .draw_series(std::iter::once(Text::new(
                format!("P={p:.2} → {}", percent_1dp(*v)),
                (ty + 1.5 * d, *v),
                font(20.0)
                    .color(&TARGET)
                    .pos(Pos::new(HPos::Left, VPos::Center)),
            )))
            .map_err(draw_err)?;
    }
    Ok(())
}

/// The next "nice" axis maximum (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k).
pub(crate) fn nice_ceiling(v: f64) -> f64 {
    if v.is_nan() || v <= 0.0 {
        return 1.0;
    }
    let mag = 10f64.powf(v.log10().floor());
    for m in [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0] {
        if m * mag >= v {
            return m * mag;
        }
    }
    10.0 * mag
}
