//! The final-evaluation chart (终期评估): one row per measured milestone — per target, and with
//! several places one row per place, like a forest plot — showing the measured value with its
//! 80 % (thick bar) and 95 % (thin line) intervals against the target (a tick), marked achieved
//! / not achieved by the status colour and marker, with the value, the target, the verdict and
//! P written beside each row.
//!
//! Every number comes from the `assess` rows (one evaluation feeds every view): the value,
//! status, `p_reach` and the 80 % interval are the row's; the 95 % interval is the 2.5 % and
//! 97.5 % quantiles of the same survey distribution,
//! [`crate::assess::measurement_distribution`], whose se is read back from the row's 80 %
//! interval ([`measured_se`]).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::canvas::{
    char_px, draw_err, ensure_font, finish_svg_sized, fit_text, row_chart, ChartStyle, RowChart,
    RowLayout, Svg, FONT_FAMILY, PLOTTERS_EM,
};
use super::dashboard::draw_marker;
use super::palette::{INK, MUTED};
use crate::assess::style::status_style;
use crate::assess::{measurement_distribution, AssessRow, Status};
use crate::error::{Error, Result};
use crate::model::format::percent_1dp;
use crate::model::{Dataset, Lang, Qualifier};

/// One measured milestone (percent).
#[derive(Debug, Clone, PartialEq)]
pub struct EvaluationRow {
    /// The jurisdiction's name.
    pub label: String,
    /// The milestone (target) year, which was measured.
    pub year: i32,
    /// The measured value.
    pub value: f64,
    /// Its 80 % interval (the `assess` row's `lo80`, `hi80`), when it has a standard error.
    pub interval80: Option<(f64, f64)>,
    /// Its 95 % interval (2.5 % and 97.5 % quantiles of the same distribution).
    pub interval95: Option<(f64, f64)>,
    /// The target.
    pub target: f64,
    /// Wording of the target (超过, 达到, …).
    pub qualifier: Option<Qualifier>,
    /// `achieved` or `not_achieved`.
    pub status: Status,
    /// P(true value meets the target | measurement), the row's `p_reach`.
    pub p_reach: Option<f64>,
}

/// Everything the evaluation chart shows.
#[derive(Debug, Clone, PartialEq)]
pub struct EvaluationChart {
    /// Chart title.
    pub title: String,
    /// Subtitle explaining the encoding.
    pub subtitle: String,
    /// Measured milestones, in the order of the assessment (nation, provinces, …).
    pub rows: Vec<EvaluationRow>,
    /// Milestones due by the evaluation year without a measured value («name（year）»),
    /// named in the footer.
    pub left_out: Vec<String>,
    /// Footer: data credit, how the intervals are made, and the milestones left out.
    pub footer: String,
}

/// The standard error of a measured row: the one its verdict used (`detail.sampling`: stated,
/// from a 95 % interval, from n × deff, or the level's typical sample), so the chart's 80 % and
/// 95 % intervals are the row's own. `None` for a row that is not measured.
pub fn measured_se(row: &AssessRow) -> Option<f64> {
    if !row.detail.measured {
        return None;
    }
    let (se, _) = row.detail.sampling?;
    (se > 0.0 && se.is_finite()).then_some(se)
}

/// Title of the evaluation chart: the indicator's name and 「目标达成情况（终期评估）」.
pub fn evaluation_title(ds: &Dataset, indicator: &str, lang: Lang) -> String {
    let spec = ds.indicator_spec(indicator);
    match lang {
        Lang::Zh => {
            let name = spec.map_or_else(|| indicator.to_string(), |s| s.name_zh.clone());
            format!("{name}：目标达成情况（终期评估）")
        }
        Lang::En => {
            let name = spec
                .map(|s| {
                    if s.name_en.is_empty() {
                        s.name_zh.clone()
                    } else {
                        s.name_en.clone()
                    }
                })
                .unwrap_or_else(|| indicator.to_string());
            format!("{name}: targets met? (final evaluation)")
        }
    }
}

impl EvaluationChart {
    /// The chart of the measured rows among `rows` (any [`crate::assess::assess`] rows, e.g.
    /// filtered to some places). A row whose target year is at or before `as_of` (else the
    /// dataset's latest year) but has no measurement is left out and named in the footer;
    /// later milestones are not yet due and are not mentioned.
    pub fn from_assessment(
        ds: &Dataset,
        rows: &[AssessRow],
        lang: Lang,
        as_of: Option<i32>,
        title: String,
    ) -> Self {
        let name = |id: &str| {
            ds.jurisdiction(id)
                .map(|j| j.name(lang).to_string())
                .unwrap_or_else(|| id.to_string())
        };
        let due = as_of.or_else(|| ds.latest_year());
        let mut out = Vec::new();
        let mut left_out = Vec::new();
        let mut credits = Vec::new();
        for r in rows {
            let Some(value) = r.projected.filter(|_| r.detail.measured) else {
                if due.is_some_and(|d| r.target_year <= d) {
                    left_out.push(match lang {
                        Lang::Zh => format!("{}（{}）", name(&r.jurisdiction), r.target_year),
                        Lang::En => format!("{} ({})", name(&r.jurisdiction), r.target_year),
                    });
                }
                continue;
            };
            let interval95 = measured_se(r).map(|se| {
                let f = measurement_distribution(value, se).forecast(r.target_year);
                (f.lo95, f.hi95)
            });
            if let Some(o) = ds
                .series(&r.jurisdiction, &r.indicator)
                .into_iter()
                .find(|o| o.year == r.target_year)
            {
                credits.push(o);
            }
            out.push(EvaluationRow {
                label: name(&r.jurisdiction),
                year: r.target_year,
                value,
                interval80: r.lo80.zip(r.hi80),
                interval95,
                target: r.target,
                qualifier: r.detail.qualifier,
                status: r.status,
                p_reach: r.p_reach,
            });
        }
        let credit = super::trajectory_chart::source_line(&credits, lang);
        let no_interval = out.iter().any(|r| r.interval80.is_none());
        let footer = footer_text(credit, no_interval, &left_out, lang);
        let subtitle = subtitle_text(&out, lang);
        EvaluationChart {
            title,
            subtitle,
            rows: out,
            left_out,
            footer,
        }
    }
}

/// The footer: the data credit (when there is one), where targets and intervals come from,
/// a note when some value has no interval, and up to eight of the rows `left_out`.
fn footer_text(credit: String, no_interval: bool, left_out: &[String], lang: Lang) -> String {
    let mut footer = Vec::new();
    if !credit.is_empty() {
        footer.push(credit);
    }
    footer.push(match lang {
        Lang::Zh => "目标：各地科学素质行动实施方案。区间为实测值的抽样误差区间（80%：±1.28个标准误；95%：±1.96个标准误）".into(),
        Lang::En => "Targets: the local action plans. Intervals: the survey's sampling error (80%: ±1.28 se; 95%: ±1.96 se)".into(),
    });
    if no_interval {
        footer.push(match lang {
            Lang::Zh => "无标准误的实测值只画点".into(),
            Lang::En => "values without a standard error are drawn as points only".into(),
        });
    }
    if !left_out.is_empty() {
        let shown: Vec<&str> = left_out.iter().take(8).map(String::as_str).collect();
        let more = left_out.len().saturating_sub(shown.len());
        footer.push(match (lang, more) {
            (Lang::Zh, 0) => format!("目标年份无实测值、未列出：{}", shown.join("、")),
            (Lang::Zh, m) => format!(
                "目标年份无实测值、未列出：{}等{}处",
                shown.join("、"),
                shown.len() + m
            ),
            (Lang::En, 0) => format!(
                "not shown, no value measured in the target year: {}",
                shown.join(", ")
            ),
            (Lang::En, m) => format!(
                "not shown, no value measured in the target year: {} and {m} more",
                shown.join(", ")
            ),
        });
    }
    footer.join(match lang {
        Lang::Zh => "；",
        Lang::En => "; ",
    })
}

/// The subtitle: what the marks mean, naming the target year when all rows share one.
fn subtitle_text(rows: &[EvaluationRow], lang: Lang) -> String {
    let years: Vec<i32> = {
        let mut y: Vec<i32> = rows.iter().map(|r| r.year).collect();
        y.sort_unstable();
        y.dedup();
        y
    };
    match (lang, years.as_slice()) {
        (Lang::Zh, years) => {
            let year_words = match years {
                [y] => format!("{y}年"),
                _ => "目标年份".to_string(),
            };
            format!(
                "{year_words}实测值（粗条80%、细线95%区间）与目标（竖线）；P：真实值达到目标的概率"
            )
        }
        (Lang::En, years) => {
            let year_words = match years {
                [y] => format!("{y}"),
                _ => "target-year".to_string(),
            };
            format!("Measured {year_words} value (thick bar 80%, thin line 95% interval) against the target (tick); P: probability that the true value meets it")
        }
    }
}

/// The x range of the rows: every value, interval end and target, with a margin, widened to
/// at least 2 points and rounded out to whole percents.
fn x_range(rows: &[EvaluationRow]) -> (f64, f64) {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for r in rows {
        for v in [
            Some(r.value),
            Some(r.target),
            r.interval95.map(|i| i.0),
            r.interval95.map(|i| i.1),
            r.interval80.map(|i| i.0),
            r.interval80.map(|i| i.1),
        ]
        .into_iter()
        .flatten()
        {
            lo = lo.min(v);
            hi = hi.max(v);
        }
    }
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 100.0);
    }
    let pad = ((hi - lo) * 0.08).max(0.5);
    let (mut a, mut b) = ((lo - pad).floor(), (hi + pad).ceil());
    if b - a < 2.0 {
        a -= 1.0;
        b += 1.0;
    }
    (a.max(0.0), b.min(100.0))
}

/// Draws the evaluation chart as SVG: rows of a fixed pitch (`RowLayout`), the image as tall
/// as they need up to `style.height`. An error when there is no row to draw.
pub fn evaluation(c: &EvaluationChart, style: &ChartStyle) -> Result<Svg> {
    if c.rows.is_empty() {
        return Err(Error::usage(text!(
            "评估图：没有哪个目标年有可绘制的实测值",
            "evaluation chart: no target year has a measured value to draw"
        )));
    }
    ensure_font()?;
    let w = style.width;
    let n = c.rows.len();
    let layout = RowLayout::new(style, style.px(160), &c.footer, n);
    let h = layout.height;
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        let label_w = style.px(300);
        let right_w = style.px(560);
        let (x0, x1) = x_range(&c.rows);
        let whole = x1 - x0 >= 4.0;
        let (mut chart, row_px) = row_chart(
            &root,
            style,
            [&c.title, &c.subtitle],
            &layout,
            x0..x1,
            label_w,
            right_w,
            &|x| tick_label(*x, whole),
        )?;
        draw_legend(&root, style)?;
        let (plot_right, top_y) = chart.backend_coord(&(x1, n as f64));
        let cols = Columns::new(style, label_w, plot_right, row_px);
        draw_column_heads(&root, style, &cols, top_y)?;
        for (i, r) in c.rows.iter().enumerate() {
            let y = (n - i) as f64 - 0.5;
            let py = draw_row_marks(&root, &mut chart, r, (i, y), (x0, x1), cols.marker)?;
            draw_row_text(&root, style, &cols, r, py)?;
        }
        root.present().map_err(draw_err)?;
    }
    Ok(finish_svg_sized(buf, w, h))
}

/// An x tick label: whole ticks as whole percents; on a range of 4 points or more (`whole`)
/// the half ticks between them stay unlabelled (`{:.0}` would print 13.5 as a second 14%).
fn tick_label(x: f64, whole: bool) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{x:.0}%")
    } else if whole {
        String::new()
    } else {
        format!("{x:.1}%")
    }
}

/// Draws the legend in the header band: the two verdicts, the interval widths and the target
/// tick.
fn draw_legend(root: &DrawingArea<SVGBackend<'_>, Shift>, style: &ChartStyle) -> Result<()> {
    let lang = style.lang;
    let ly = style.px(106) as i32;
    let mut lx = style.px(36) as i32;
    let legend_font = (FONT_FAMILY, style.px(20.0))
        .into_font()
        .color(&INK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let step = |text: &str| {
        text.chars()
            .map(|ch| char_px(ch, f64::from(style.px(20)) * PLOTTERS_EM))
            .sum::<f64>() as i32
            + style.px(34) as i32
    };
    for s in [Status::Achieved, Status::NotAchieved] {
        let st = status_style(s);
        draw_marker(root, st.marker, (lx + 8, ly), style.px(8) as i32, st.color)?;
        root.draw_text(st.label(style.lang), &legend_font, (lx + 24, ly))
            .map_err(draw_err)?;
        lx += 24 + step(st.label(style.lang));
    }
    let sample = style.px(36) as i32;
    let bar = match lang {
        Lang::Zh => "80%区间",
        Lang::En => "80% interval",
    };
    root.draw(&Rectangle::new(
        [(lx, ly - 5), (lx + sample, ly + 5)],
        MUTED.mix(0.45).filled(),
    ))
    .map_err(draw_err)?;
    root.draw_text(bar, &legend_font, (lx + sample + 8, ly))
        .map_err(draw_err)?;
    lx += sample + 8 + step(bar);
    let thin = match lang {
        Lang::Zh => "95%区间",
        Lang::En => "95% interval",
    };
    root.draw(&PathElement::new(
        vec![(lx, ly), (lx + sample, ly)],
        MUTED.stroke_width(2),
    ))
    .map_err(draw_err)?;
    root.draw_text(thin, &legend_font, (lx + sample + 8, ly))
        .map_err(draw_err)?;
    lx += sample + 8 + step(thin);
    root.draw(&PathElement::new(
        vec![(lx + 4, ly - 11), (lx + 4, ly + 11)],
        INK.stroke_width(3),
    ))
    .map_err(draw_err)?;
    root.draw_text(
        match lang {
            Lang::Zh => "目标",
            Lang::En => "target",
        },
        &legend_font,
        (lx + 14, ly),
    )
    .map_err(draw_err)
}

/// The text columns beside the plot, in pixels: left of it the place (cut to `name_w`) and
/// the year (right-aligned at `year_right`); right of it value | target | verdict | P; and
/// the row text's font size and the marker size, both following the row pitch.
struct Columns {
    left: i32,
    year_right: i32,
    name_w: f64,
    value_right: i32,
    target_left: i32,
    status_left: i32,
    p_right: i32,
    label_size: f64,
    marker: i32,
}

impl Columns {
    /// The columns of a plot whose right edge is at `plot_right`, with `label_w` px for the
    /// row labels and rows `row_px` px high.
    fn new(style: &ChartStyle, label_w: u32, plot_right: i32, row_px: i32) -> Columns {
        let left = style.px(36) as i32;
        let value_right = plot_right + style.px(130) as i32;
        let target_left = value_right + style.px(20) as i32;
        let label_size = (f64::from(row_px) * 0.6).clamp(6.0, f64::from(style.px(20)));
        let year_right = left + label_w as i32 - style.px(16) as i32;
        Columns {
            left,
            year_right,
            name_w: f64::from(year_right - left) - 5.5 * label_size,
            value_right,
            target_left,
            status_left: target_left + style.px(170) as i32,
            p_right: plot_right + style.px(560) as i32,
            label_size,
            marker: (row_px / 3).clamp(2, style.px(9) as i32),
        }
    }
}

/// Draws the headings of the columns right of the plot, just above its top edge `top_y`.
fn draw_column_heads(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    style: &ChartStyle,
    cols: &Columns,
    top_y: i32,
) -> Result<()> {
    let head_font = (FONT_FAMILY, style.px(18.0)).into_font().color(&MUTED);
    let head_y = top_y - style.px(14) as i32;
    let heads = match style.lang {
        Lang::Zh => ["实测值", "目标", "评估", "达标概率"],
        Lang::En => ["measured", "target", "verdict", "P"],
    };
    for (text, x, hpos) in [
        (heads[0], cols.value_right, HPos::Right),
        (heads[1], cols.target_left, HPos::Left),
        (heads[2], cols.status_left, HPos::Left),
        (heads[3], cols.p_right, HPos::Right),
    ] {
        root.draw_text(
            text,
            &head_font.clone().pos(Pos::new(hpos, VPos::Bottom)),
            (x, head_y),
        )
        .map_err(draw_err)?;
    }
    Ok(())
}

/// Draws row `i` (centred at `y`) in the plot: the zebra band on even rows, the 95 % interval
/// with its caps, the 80 % bar, the target tick and the value's marker. Returns the row's
/// pixel y.
fn draw_row_marks(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    chart: &mut RowChart<'_, '_>,
    r: &EvaluationRow,
    (i, y): (usize, f64),
    (x0, x1): (f64, f64),
    marker: i32,
) -> Result<i32> {
    let st = status_style(r.status);
    let cap = 0.14;
    if i % 2 == 0 {
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(x0, y - 0.5), (x1, y + 0.5)],
                RGBColor(0xF6, 0xF6, 0xF6).filled(),
            )))
            .map_err(draw_err)?;
    }
    if let Some((lo, hi)) = r.interval95 {
        chart
            .draw_series([
                PathElement::new(vec![(lo, y), (hi, y)], st.color.stroke_width(2)),
                PathElement::new(vec![(lo, y - cap), (lo, y + cap)], st.color.stroke_width(2)),
                PathElement::new(vec![(hi, y - cap), (hi, y + cap)], st.color.stroke_width(2)),
            ])
            .map_err(draw_err)?;
    }
    if let Some((lo, hi)) = r.interval80 {
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(lo, y - 0.17), (hi, y + 0.17)],
                st.color.mix(0.45).filled(),
            )))
            .map_err(draw_err)?;
    }
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(r.target, y - 0.4), (r.target, y + 0.4)],
            INK.stroke_width(3),
        )))
        .map_err(draw_err)?;
    let p = chart.backend_coord(&(r.value, y));
    draw_marker(root, st.marker, p, marker, st.color)?;
    Ok(p.1)
}

/// Draws the text of a row at pixel y `py`: place and year left of the plot, value, target,
/// verdict and P right of it.
fn draw_row_text(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    style: &ChartStyle,
    cols: &Columns,
    r: &EvaluationRow,
    py: i32,
) -> Result<()> {
    let lang = style.lang;
    let st = status_style(r.status);
    let label_font = (FONT_FAMILY, cols.label_size).into_font();
    let text_at = |hpos: HPos, color: &RGBColor| {
        label_font
            .clone()
            .color(color)
            .pos(Pos::new(hpos, VPos::Center))
    };
    root.draw_text(
        &fit_text(&r.label, cols.name_w, cols.label_size * PLOTTERS_EM),
        &text_at(HPos::Left, &INK),
        (cols.left, py),
    )
    .map_err(draw_err)?;
    let year = match lang {
        Lang::Zh => format!("{}年", r.year),
        Lang::En => r.year.to_string(),
    };
    root.draw_text(&year, &text_at(HPos::Right, &MUTED), (cols.year_right, py))
        .map_err(draw_err)?;
    root.draw_text(
        &format!("{:.2}%", r.value),
        &text_at(HPos::Right, &INK),
        (cols.value_right, py),
    )
    .map_err(draw_err)?;
    root.draw_text(
        &Qualifier::phrase(r.qualifier, &percent_1dp(r.target), style.lang),
        &text_at(HPos::Left, &INK),
        (cols.target_left, py),
    )
    .map_err(draw_err)?;
    root.draw_text(
        &format!("{} {}", st.symbol, st.label(style.lang)),
        &text_at(HPos::Left, &st.color),
        (cols.status_left, py),
    )
    .map_err(draw_err)?;
    let prob = r
        .p_reach
        .map_or_else(|| "—".into(), |p| format!("P={p:.2}"));
    root.draw_text(&prob, &text_at(HPos::Right, &st.color), (cols.p_right, py))
        .map_err(draw_err)
}
