//! The status dashboard: one row per jurisdiction and milestone — the measured milestones of
//! ended periods (achieved / not achieved, the measured value with its 80 % interval) and each
//! jurisdiction's next open milestone (latest value → projected milestone-year value with its
//! 80 % interval) — the target as a tick, coloured and shaped by status. Each row states its
//! own milestone year and whether its value is measured (实测) or projected (预测). Rows have a
//! fixed pitch ([`super::canvas::RowLayout`]).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::canvas::{
    char_px, draw_err, ensure_font, finish_svg_sized, fit_text, row_chart, ChartStyle, RowChart,
    RowLayout, Svg, FONT_FAMILY, PLOTTERS_EM,
};
use super::palette::{INK, MUTED};
use crate::assess::style::{status_style, Marker};
use crate::assess::{AssessRow, Status};
use crate::error::Result;
use crate::model::{Dataset, Lang};

/// One row of the dashboard (percent).
#[derive(Debug, Clone, PartialEq)]
pub struct DashboardRow {
    /// Row label: the jurisdiction's name.
    pub label: String,
    /// The milestone year the row is judged against.
    pub year: i32,
    /// The milestone year has been measured (a final evaluation): `projected` is the
    /// measurement and the row is labelled 实测 / measured, else 预测 / projected.
    pub measured: bool,
    /// Latest observed value (drawn as a ring when it is not the milestone year's measurement).
    pub latest: Option<f64>,
    /// Milestone-year value: the measurement of a measured row, else the projection.
    pub projected: Option<f64>,
    /// Lower end of its 80 % interval.
    pub lo80: Option<f64>,
    /// Upper end of its 80 % interval.
    pub hi80: Option<f64>,
    /// Target value (drawn as a tick).
    pub target: f64,
    /// Status, which sets the colour and marker.
    pub status: Status,
    /// Probability (0–1) of reaching the target; the sort key within measured and projected rows.
    pub p_reach: Option<f64>,
}

impl DashboardRow {
    /// The row's year tag: 「2025年实测」, 「2035年预测」, or 「2025年目标」 for a row with
    /// neither (`2025 measured` / `2035 projected` / `2025 target`).
    pub fn year_tag(&self, lang: Lang) -> String {
        let kind = match (lang, self.measured, self.projected.is_some()) {
            (Lang::Zh, true, _) => "年实测",
            (Lang::Zh, false, true) => "年预测",
            (Lang::Zh, false, false) => "年目标",
            (Lang::En, true, _) => " measured",
            (Lang::En, false, true) => " projected",
            (Lang::En, false, false) => " target",
        };
        format!("{}{kind}", self.year)
    }
}

/// The dashboard's rows and titles.
#[derive(Debug, Clone, PartialEq)]
pub struct DashboardChart {
    /// Chart title.
    pub title: String,
    /// Subtitle explaining the encoding.
    pub subtitle: String,
    /// Rows: measured ones first, then projected ones, each by P(reach), highest first.
    pub rows: Vec<DashboardRow>,
    /// Source line under the chart.
    pub source: String,
}

/// The rows a dashboard shows from [`crate::assess::assess`]'s rows (in its order): for each
/// jurisdiction and indicator, every milestone whose year has been measured (the final
/// evaluation of ended periods) and the next open milestone
/// ([`crate::assess::headline_rows`]), once each.
pub fn dashboard_selection(rows: &[AssessRow]) -> Vec<AssessRow> {
    let headline = crate::assess::headline_rows(rows);
    let mut out: Vec<AssessRow> = Vec::new();
    for r in rows {
        let head = headline.iter().any(|h| {
            h.jurisdiction == r.jurisdiction
                && h.indicator == r.indicator
                && h.target_year == r.target_year
        });
        let dup = out.iter().any(|o| {
            o.jurisdiction == r.jurisdiction
                && o.indicator == r.indicator
                && o.target_year == r.target_year
        });
        if (r.detail.measured || head) && !dup {
            out.push(r.clone());
        }
    }
    out
}

impl DashboardChart {
    /// Builds a dashboard from assessment rows (e.g. [`dashboard_selection`]): measured rows
    /// first, then projected ones, each sorted by P(reach) (highest first; rows without a
    /// probability last, in their original order).
    pub fn from_assessment(ds: &Dataset, rows: &[AssessRow], lang: Lang, title: String) -> Self {
        let mut out: Vec<DashboardRow> = rows
            .iter()
            .map(|r| DashboardRow {
                label: ds
                    .jurisdiction(&r.jurisdiction)
                    .map(|j| j.name(lang).to_string())
                    .unwrap_or_else(|| r.jurisdiction.clone()),
                year: r.target_year,
                measured: r.detail.measured,
                latest: r.latest,
                projected: r.projected,
                lo80: r.lo80,
                hi80: r.hi80,
                target: r.target,
                status: r.status,
                p_reach: r.p_reach,
            })
            .collect();
        out.sort_by(|a, b| {
            b.measured
                .cmp(&a.measured)
                .then(match (a.p_reach, b.p_reach) {
                    (Some(x), Some(y)) => y.total_cmp(&x),
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => std::cmp::Ordering::Equal,
                })
        });
        DashboardChart {
            title,
            subtitle: match lang {
                Lang::Zh => "空心圆：最新调查值；实心标记：目标年份的实测值或预测值，色条为其80%区间；竖线：目标。每行注明目标年份".into(),
                Lang::En => "Ring: latest survey value; filled marker: the milestone year's measured or projected value, bar = its 80% interval; tick: target".into(),
            },
            rows: out,
            source: match lang {
                Lang::Zh => "数据来源：公民科学素质调查结果（公开发布或用户提供）；目标：各地全民科学素质行动实施方案".into(),
                Lang::En => "Sources: civic scientific literacy survey results (published or supplied by the user); targets: the local action plans".into(),
            },
        }
    }
}

/// Draws a status marker of `size` px centred at pixel `(x, y)` on `area`.
pub(crate) fn draw_marker(
    area: &DrawingArea<SVGBackend, Shift>,
    marker: Marker,
    (x, y): (i32, i32),
    size: i32,
    color: RGBColor,
) -> Result<()> {
    let s = size;
    let fill = color.filled();
    match marker {
        Marker::Circle => area.draw(&Circle::new((x, y), s, fill)),
        Marker::Ring => area.draw(&Circle::new((x, y), s, color.stroke_width(2))),
        Marker::Square => area.draw(&Rectangle::new([(x - s, y - s), (x + s, y + s)], fill)),
        Marker::Diamond => area.draw(&Polygon::new(
            vec![
                (x, y - s - 1),
                (x + s + 1, y),
                (x, y + s + 1),
                (x - s - 1, y),
            ],
            fill,
        )),
        Marker::TriangleUp => area.draw(&Polygon::new(
            vec![(x, y - s - 1), (x + s + 1, y + s), (x - s - 1, y + s)],
            fill,
        )),
        Marker::TriangleDown => area.draw(&Polygon::new(
            vec![(x, y + s + 1), (x + s + 1, y - s), (x - s - 1, y - s)],
            fill,
        )),
        Marker::Cross => area
            .draw(&PathElement::new(
                vec![(x - s, y - s), (x + s, y + s)],
                color.stroke_width(3),
            ))
            .and_then(|_| {
                area.draw(&PathElement::new(
                    vec![(x - s, y + s), (x + s, y - s)],
                    color.stroke_width(3),
                ))
            }),
    }
    .map_err(draw_err)
}

/// Draws the dashboard as SVG. Rows have a fixed pitch: the image is as tall as its rows
/// need, up to `style.height` (`RowLayout`).
pub fn dashboard(c: &DashboardChart, style: &ChartStyle) -> Result<Svg> {
    ensure_font()?;
    let w = style.width;
    let n = c.rows.len().max(1);
    let layout = RowLayout::new(style, style.px(130), &c.source, n);
    let h = layout.height;
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        draw_legend(&root, style)?;
        let x1 = x_max(&c.rows);
        let label_w = style.px(420);
        let (mut chart, row_px) = row_chart(
            &root,
            style,
            [&c.title, &c.subtitle],
            &layout,
            0.0..x1,
            label_w,
            0,
            &|x| format!("{x:.0}%"),
        )?;
        let cols = LabelColumn::new(style, &c.rows, label_w, row_px);
        for (i, r) in c.rows.iter().enumerate() {
            let y = (n - i) as f64 - 0.5;
            draw_row_marks(&root, &mut chart, r, (i, y), x1, (row_px, cols.marker))?;
            if row_px >= 6 {
                let (_, py) = chart.backend_coord(&(0.0, y));
                draw_row_text(&root, style, &cols, r, py)?;
            }
        }
        root.present().map_err(draw_err)?;
    }
    Ok(finish_svg_sized(buf, w, h))
}

/// Draws the status legend in the header band: marker + label for every status.
fn draw_legend(root: &DrawingArea<SVGBackend<'_>, Shift>, style: &ChartStyle) -> Result<()> {
    let lang = style.lang;
    let mut lx = style.px(36) as i32;
    let ly = style.px(104) as i32;
    for s in Status::ALL {
        let st = status_style(s);
        draw_marker(root, st.marker, (lx + 8, ly), style.px(8) as i32, st.color)?;
        let label = st.label(style.lang);
        root.draw_text(
            label,
            &(FONT_FAMILY, style.px(20.0))
                .into_font()
                .color(&INK)
                .pos(Pos::new(HPos::Left, VPos::Center)),
            (lx + 22, ly),
        )
        .map_err(draw_err)?;
        lx += 22
            + (label.chars().count() as i32)
                * style.px(match lang {
                    Lang::Zh => 20.0,
                    Lang::En => 11.0,
                }) as i32
            + style.px(28) as i32;
    }
    Ok(())
}

/// The right end of the x axis: the largest latest value, projection, interval end or
/// target (at least 1 %), 8 % beyond it (at most 100 %), rounded up to a nice value.
fn x_max(rows: &[DashboardRow]) -> f64 {
    let mut top_val: f64 = 1.0;
    for r in rows {
        for v in [r.latest, r.projected, r.hi80, Some(r.target)]
            .into_iter()
            .flatten()
        {
            top_val = top_val.max(v);
        }
    }
    super::trajectory::nice_ceiling((top_val * 1.08).min(100.0))
}

/// The label column left of the plot, in pixels: name (cut to `name_w`) | year tag
/// (right-aligned at `tag_right`) | P (right-aligned at `p_right`); with the row text's font
/// size (`em` its measuring em) and the marker size, both following the row pitch.
struct LabelColumn {
    left: i32,
    name_w: f64,
    tag_right: i32,
    p_right: i32,
    label_size: f64,
    em: f64,
    marker: i32,
}

impl LabelColumn {
    /// The column for `rows` in `label_w` px, rows `row_px` px high; the name gets what the
    /// widest year tag leaves.
    fn new(style: &ChartStyle, rows: &[DashboardRow], label_w: u32, row_px: i32) -> Self {
        let left = style.px(36) as i32;
        let label_size = (f64::from(row_px) * 0.6).clamp(6.0, f64::from(style.px(20)));
        let p_right = left + label_w as i32 - style.px(20) as i32;
        let tag_right = p_right - style.px(80) as i32;
        let em = label_size * PLOTTERS_EM;
        let tag_w = rows
            .iter()
            .map(|r| {
                r.year_tag(style.lang)
                    .chars()
                    .map(|ch| char_px(ch, em))
                    .sum::<f64>()
            })
            .fold(0.0, f64::max);
        LabelColumn {
            left,
            name_w: f64::from(tag_right - left) - tag_w - em,
            tag_right,
            p_right,
            label_size,
            em,
            marker: (row_px / 3).clamp(2, style.px(9) as i32),
        }
    }
}

/// Draws row `i` (centred at `y`) in the plot: the zebra band on even rows (when rows are at
/// least 6 px high), the 80 % interval, the line from the latest value to the milestone value,
/// the target tick, the latest value's ring and the milestone value's status marker.
fn draw_row_marks(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    chart: &mut RowChart<'_, '_>,
    r: &DashboardRow,
    (i, y): (usize, f64),
    x1: f64,
    (row_px, marker): (i32, i32),
) -> Result<()> {
    let st = status_style(r.status);
    if i % 2 == 0 && row_px >= 6 {
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(0.0, y - 0.5), (x1, y + 0.5)],
                RGBColor(0xF6, 0xF6, 0xF6).filled(),
            )))
            .map_err(draw_err)?;
    }
    if let (Some(lo), Some(hi)) = (r.lo80, r.hi80) {
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(lo, y - 0.22), (hi, y + 0.22)],
                st.color.mix(0.35).filled(),
            )))
            .map_err(draw_err)?;
    }
    // The latest value leads to the milestone value unless it is that measurement.
    let ring = r.latest.filter(|_| !r.measured);
    if let (Some(a), Some(b)) = (ring, r.projected) {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(a, y), (b, y)],
                MUTED.stroke_width(1),
            )))
            .map_err(draw_err)?;
    }
    // Target tick.
    let (tx, ty) = chart.backend_coord(&(r.target, y));
    let half = (row_px / 2 - 1).max(2);
    root.draw(&PathElement::new(
        vec![(tx, ty - half), (tx, ty + half)],
        INK.stroke_width(3),
    ))
    .map_err(draw_err)?;
    if let Some(v) = ring {
        let p = chart.backend_coord(&(v, y));
        root.draw(&Circle::new(p, marker, MUTED.stroke_width(2)))
            .map_err(draw_err)?;
    }
    if let Some(v) = r.projected {
        let p = chart.backend_coord(&(v, y));
        draw_marker(root, st.marker, p, marker, st.color)?;
    }
    Ok(())
}

/// Draws the label column of a row at pixel y `py`: name, year tag and P (or "no data").
fn draw_row_text(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    style: &ChartStyle,
    cols: &LabelColumn,
    r: &DashboardRow,
    py: i32,
) -> Result<()> {
    let st = status_style(r.status);
    let label_font = (FONT_FAMILY, cols.label_size).into_font();
    root.draw_text(
        &fit_text(&r.label, cols.name_w, cols.em),
        &label_font
            .color(&INK)
            .pos(Pos::new(HPos::Left, VPos::Center)),
        (cols.left, py),
    )
    .map_err(draw_err)?;
    root.draw_text(
        &r.year_tag(style.lang),
        &label_font
            .color(&MUTED)
            .pos(Pos::new(HPos::Right, VPos::Center)),
        (cols.tag_right, py),
    )
    .map_err(draw_err)?;
    let prob = match (r.p_reach, r.status) {
        (Some(p), _) => format!("P={p:.2}"),
        (None, Status::InsufficientData) => match style.lang {
            Lang::Zh => "数据不足",
            Lang::En => "no data",
        }
        .to_string(),
        (None, _) => "—".to_string(),
    };
    root.draw_text(
        &prob,
        &label_font
            .color(&st.color)
            .pos(Pos::new(HPos::Right, VPos::Center)),
        (cols.p_right, py),
    )
    .map_err(draw_err)
}

/// Default dashboard title.
pub fn dashboard_title(lang: Lang, as_of: Option<i32>, latest: Option<i32>) -> String {
    let year = as_of.or(latest);
    match (lang, year) {
        (Lang::Zh, Some(y)) => format!("公民具备科学素质的比例：各地达标进展（截至{y}年）"),
        (Lang::Zh, None) => "公民具备科学素质的比例：各地达标进展".into(),
        (Lang::En, Some(y)) => {
            format!("Share of citizens with scientific literacy: progress to target (as of {y})")
        }
        (Lang::En, None) => "Share of citizens with scientific literacy: progress to target".into(),
    }
}
