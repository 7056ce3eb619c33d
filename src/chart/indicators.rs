//! Sub-indicator progress of one plan: a horizontal bar of the completion share per
//! indicator against the share of the plan period elapsed; indicators without data are
//! greyed and labelled.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::canvas::{
    draw_err, ensure_font, finish_svg, row_chart, ChartStyle, RowChart, RowLayout, Svg, FONT_FAMILY,
};
use super::palette::{INK, MUTED};
use crate::assess::pace::PaceStatus;
use crate::assess::progress::ProgressRow;
use crate::assess::style::pace_style;
use crate::error::Result;
use crate::model::{Dataset, Lang, Plan};

/// One bar: completion share (1.0 = target reached) and status.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorBar {
    /// Indicator name in the chart's language (Chinese when there is no English name).
    pub label: String,
    /// Share of the target done (fraction; `None`: no data, bar greyed).
    pub share_done: Option<f64>,
    /// Pace status, which sets the bar's colour.
    pub status: PaceStatus,
}

/// The chart's bars and titles.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorsChart {
    /// Chart title.
    pub title: String,
    /// Subtitle with the plan period and as-of year.
    pub subtitle: String,
    /// One bar per quantitative target of the plan.
    pub bars: Vec<IndicatorBar>,
    /// Share of the plan period elapsed (0–1).
    pub share_elapsed: f64,
    /// Source line naming the plan the targets come from.
    pub source: String,
}

impl IndicatorsChart {
    /// One bar per quantitative target of `plan`, read from its `indicators` rows
    /// ([`crate::assess::progress::all_progress`]: the literacy rate from the assessment, the others
    /// by pace arithmetic), each at its next open milestone after `as_of`.
    pub fn from_plan(
        ds: &Dataset,
        plan: &Plan,
        progress: &[ProgressRow],
        as_of: i32,
        lang: Lang,
    ) -> Self {
        let jid = &plan.plan.jurisdiction;
        let pid = plan.id();
        let mut share_elapsed = 0.0;
        let mut bars = Vec::new();
        for ind in &plan.indicators {
            let rows: Vec<&ProgressRow> = progress
                .iter()
                .filter(|r| r.plan == pid && r.jurisdiction == *jid && r.indicator == ind.id)
                .collect();
            let Some(r) = rows
                .iter()
                .find(|r| r.target_year > as_of)
                .or(rows.last())
                .copied()
            else {
                continue;
            };
            if r.period == plan.period_of(ind) {
                share_elapsed = r.pace.share_elapsed;
            }
            bars.push(IndicatorBar {
                label: ind.name(lang).to_string(),
                share_done: r.pace.share_done,
                status: r.pace.status,
            });
        }
        let name = ds
            .jurisdiction(jid)
            .map(|j| j.name(lang).to_string())
            .unwrap_or_else(|| jid.clone());
        let [a, b] = plan.plan.period;
        IndicatorsChart {
            title: match lang {
                Lang::Zh => format!("{name}　实施方案分项指标进度"),
                Lang::En => format!("{name}: progress of the plan's sub-indicators"),
            },
            subtitle: match lang {
                Lang::Zh => format!("完成比例（目标=100%）与时间进度（{a}—{b}年，截至{as_of}年）"),
                Lang::En => format!("Share of target done (target = 100%) against time elapsed ({a}–{b}, as of {as_of})"),
            },
            bars,
            share_elapsed,
            source: match lang {
                Lang::Zh => format!("目标来源：{}", plan.plan.title_zh),
                Lang::En => format!(
                    "Targets: {}",
                    plan.plan
                        .title_en
                        .clone()
                        .unwrap_or_else(|| plan.plan.title_zh.clone())
                ),
            },
        }
    }
}

/// Draws the sub-indicator chart as SVG.
pub fn indicators(c: &IndicatorsChart, style: &ChartStyle) -> Result<Svg> {
    ensure_font()?;
    let (w, h) = (style.width, style.height);
    let n = c.bars.len().max(1);
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        let max_share = c
            .bars
            .iter()
            .filter_map(|b| b.share_done)
            .fold(1.2f64, f64::max)
            .min(3.0);
        let x1 = (max_share * 10.0).ceil() / 10.0;
        // The sub-indicators keep the whole --height (a plan has a handful to a few dozen).
        let layout = RowLayout {
            height: h,
            ..RowLayout::new(style, style.px(100), &c.source, n)
        };
        let (mut chart, row_px) = row_chart(
            &root,
            style,
            [&c.title, &c.subtitle],
            &layout,
            0.0..x1,
            style.px(520),
            0,
            &|x| format!("{:.0}%", x * 100.0),
        )?;
        let label_size = (f64::from(row_px) * 0.6).clamp(6.0, f64::from(style.px(20)));
        for (i, bar) in c.bars.iter().enumerate() {
            let y = (n - i) as f64 - 0.5;
            draw_bar(&root, &mut chart, style, bar, (y, x1), label_size)?;
        }
        draw_elapsed(&root, &mut chart, style, c, (x1, n))?;
        root.present().map_err(draw_err)?;
    }
    Ok(finish_svg(buf, style))
}

/// Draws one bar centred at `y` (its share done cut to the axis end `x1`, with the share and
/// pace symbol beside it; a grey bar labelled "no progress data" without a share) and its
/// label left of the plot, in text of `label_size` px.
fn draw_bar(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    chart: &mut RowChart<'_, '_>,
    style: &ChartStyle,
    bar: &IndicatorBar,
    (y, x1): (f64, f64),
    label_size: f64,
) -> Result<()> {
    let label_font = (FONT_FAMILY, label_size).into_font();
    let st = pace_style(bar.status);
    let (_, py) = chart.backend_coord(&(0.0, y));
    // The bar's end and colour; the words, their colour, and where they start (the value
    // `at`, `gap` px right of it).
    let (end, fill, words, ink, (at, gap)) = match bar.share_done {
        Some(s) => {
            let end = s.clamp(0.0, x1);
            let words = format!("{:.0}% {}", 100.0 * s, st.symbol);
            (end, st.color, words, INK, (end, 6))
        }
        None => {
            let words = match style.lang {
                Lang::Zh => "无进展数据",
                Lang::En => "no progress data",
            };
            (
                1.0,
                RGBColor(0xEE, 0xEE, 0xEE),
                words.to_string(),
                MUTED,
                (0.0, 8),
            )
        }
    };
    chart
        .draw_series(std::iter::once(Rectangle::new(
            [(0.0, y - 0.32), (end, y + 0.32)],
            fill.filled(),
        )))
        .map_err(draw_err)?;
    let (px, _) = chart.backend_coord(&(at, y));
    root.draw_text(
        &words,
        &label_font
            .color(&ink)
            .pos(Pos::new(HPos::Left, VPos::Center)),
        (px + gap, py),
    )
    .map_err(draw_err)?;
    let color = if bar.share_done.is_some() { INK } else { MUTED };
    root.draw_text(
        &bar.label,
        &label_font
            .color(&color)
            .pos(Pos::new(HPos::Left, VPos::Center)),
        (style.px(36) as i32, py),
    )
    .map_err(draw_err)
}

/// Draws the time elapsed (a dashed line, labelled above the plot) and the target line
/// (100 %) over the `n` rows of a plot ending at `x1`.
fn draw_elapsed(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    chart: &mut RowChart<'_, '_>,
    style: &ChartStyle,
    c: &IndicatorsChart,
    (x1, n): (f64, usize),
) -> Result<()> {
    let e = c.share_elapsed.clamp(0.0, x1);
    chart
        .draw_series(DashedLineSeries::new(
            vec![(e, 0.0), (e, n as f64)],
            8,
            6,
            INK.stroke_width(2),
        ))
        .map_err(draw_err)?;
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(1.0, 0.0), (1.0, n as f64)],
            MUTED.stroke_width(1),
        )))
        .map_err(draw_err)?;
    let (ex, ey) = chart.backend_coord(&(e, n as f64));
    root.draw_text(
        &match style.lang {
            Lang::Zh => format!("时间进度 {:.0}%", 100.0 * c.share_elapsed),
            Lang::En => format!("time elapsed {:.0}%", 100.0 * c.share_elapsed),
        },
        &(FONT_FAMILY, style.px(18.0))
            .into_font()
            .color(&INK)
            .pos(Pos::new(HPos::Center, VPos::Bottom)),
        (ex, ey - 2),
    )
    .map_err(draw_err)
}
