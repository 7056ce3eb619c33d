//! The status dashboard: one row per jurisdiction, latest value → projected target-year value
//! with its 80 % interval, the target as a tick, coloured and shaped by status, sorted by
//! P(reach).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::palette::{INK, MUTED};
use super::{draw_err, ensure_font, finish_svg, row_chart, ChartStyle, Svg, FONT_FAMILY};
use crate::assess::style::{status_style, Marker};
use crate::assess::{AssessRow, Status};
use crate::error::Result;
use crate::model::{Dataset, Lang};

/// One row of the dashboard (percent).
#[derive(Debug, Clone, PartialEq)]
pub struct DashboardRow {
    /// Row label: the jurisdiction's name, with the target year when it differs from the
    /// dashboard's common one.
    pub label: String,
    /// Latest observed value (drawn as a ring).
    pub latest: Option<f64>,
    /// Projected target-year value.
    pub projected: Option<f64>,
    /// Lower end of the 80 % interval of the projection.
    pub lo80: Option<f64>,
    /// Upper end of the 80 % interval of the projection.
    pub hi80: Option<f64>,
    /// Target value (drawn as a tick).
    pub target: f64,
    /// Status, which sets the colour and marker.
    pub status: Status,
    /// Probability (0–1) of reaching the target; the sort key.
    pub p_reach: Option<f64>,
}

/// The dashboard's rows and titles.
#[derive(Debug, Clone, PartialEq)]
pub struct DashboardChart {
    /// Chart title.
    pub title: String,
    /// Subtitle explaining the encoding.
    pub subtitle: String,
    /// Rows, sorted by P(reach), highest first.
    pub rows: Vec<DashboardRow>,
    /// Source line under the chart.
    pub source: String,
}

impl DashboardChart {
    /// Builds a dashboard from assessment rows, sorted by P(reach) (highest first; rows
    /// without a probability last, in their original order).
    pub fn from_assessment(ds: &Dataset, rows: &[AssessRow], lang: Lang, title: String) -> Self {
        let zh = lang == Lang::Zh;
        // The most common target year names the axis; rows judged against another
        // milestone carry their year in the label.
        let mut years: Vec<i32> = rows.iter().map(|r| r.target_year).collect();
        years.sort_unstable();
        let common = years
            .chunk_by(|a, b| a == b)
            .max_by_key(|c| c.len())
            .and_then(|c| c.first().copied());
        let mut out: Vec<DashboardRow> = rows
            .iter()
            .map(|r| DashboardRow {
                label: {
                    let name = ds
                        .jurisdiction(&r.jurisdiction)
                        .map(|j| j.name(lang).to_string())
                        .unwrap_or_else(|| r.jurisdiction.clone());
                    if Some(r.target_year) == common {
                        name
                    } else {
                        format!("{name}（{}）", r.target_year)
                    }
                },
                latest: r.latest,
                projected: r.projected,
                lo80: r.lo80,
                hi80: r.hi80,
                target: r.target,
                status: r.status,
                p_reach: r.p_reach,
            })
            .collect();
        out.sort_by(|a, b| match (a.p_reach, b.p_reach) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        let target_year = common.map_or_else(String::new, |y| y.to_string());
        DashboardChart {
            title,
            subtitle: if zh {
                format!(
                    "最新值（空心圆）→ {target_year}年预测（80%区间），竖线为目标；按达标概率排序"
                )
            } else {
                format!("Latest (ring) → projected {target_year} value (80% interval); tick = target; sorted by P(reach)")
            },
            rows: out,
            source: if zh {
                "数据来源：litmon 评估（公民科学素质调查公开数据与各地实施方案目标）".into()
            } else {
                "Source: litmon assessment of published survey figures and plan targets".into()
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

/// Draws the dashboard as SVG.
pub fn dashboard(c: &DashboardChart, style: &ChartStyle) -> Result<Svg> {
    ensure_font()?;
    let zh = style.zh();
    let (w, h) = (style.width, style.height);
    let font = |size: f64| (FONT_FAMILY, style.px(size)).into_font();
    let n = c.rows.len().max(1);
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        let left = style.px(36) as i32;
        // Status legend: marker + label for every status.
        let mut lx = left;
        let ly = style.px(104) as i32;
        for s in Status::ALL {
            let st = status_style(s);
            draw_marker(&root, st.marker, (lx + 8, ly), style.px(8) as i32, st.color)?;
            let label = st.label(zh);
            root.draw_text(
                label,
                &font(20.0)
                    .color(&INK)
                    .pos(Pos::new(HPos::Left, VPos::Center)),
                (lx + 22, ly),
            )
            .map_err(draw_err)?;
            lx += 22
                + (label.chars().count() as i32) * style.px(if zh { 20.0 } else { 11.0 }) as i32
                + style.px(28) as i32;
        }
        let mut top_val: f64 = 1.0;
        for r in &c.rows {
            for v in [r.latest, r.projected, r.hi80, Some(r.target)]
                .into_iter()
                .flatten()
            {
                top_val = top_val.max(v);
            }
        }
        let x1 = super::trajectory::nice_ceiling((top_val * 1.08).min(100.0));
        let label_w = style.px(330);
        let (mut chart, row_px) = row_chart(
            &root,
            style,
            [&c.title, &c.subtitle, &c.source],
            style.px(130),
            n,
            x1,
            label_w,
            &|x| format!("{x:.0}%"),
        )?;
        let marker = (row_px / 3).clamp(2, style.px(9) as i32);
        let label_size = (f64::from(row_px) * 0.7).clamp(6.0, f64::from(style.px(20)));
        let label_font = (FONT_FAMILY, label_size).into_font();
        for (i, r) in c.rows.iter().enumerate() {
            let y = (n - i) as f64 - 0.5;
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
            if let (Some(a), Some(b)) = (r.latest, r.projected) {
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
            if let Some(v) = r.latest {
                let p = chart.backend_coord(&(v, y));
                root.draw(&Circle::new(p, marker, MUTED.stroke_width(2)))
                    .map_err(draw_err)?;
            }
            if let Some(v) = r.projected {
                let p = chart.backend_coord(&(v, y));
                draw_marker(&root, st.marker, p, marker, st.color)?;
            }
            if row_px >= 6 {
                let (_, py) = chart.backend_coord(&(0.0, y));
                let px = left;
                root.draw_text(
                    &r.label,
                    &label_font
                        .color(&INK)
                        .pos(Pos::new(HPos::Left, VPos::Center)),
                    (px, py),
                )
                .map_err(draw_err)?;
                let prob = match r.p_reach {
                    Some(p) => format!("P={p:.2}"),
                    None => st.label(zh).to_string(),
                };
                root.draw_text(
                    &prob,
                    &label_font
                        .color(&st.color)
                        .pos(Pos::new(HPos::Right, VPos::Center)),
                    (left + label_w as i32 - style.px(20) as i32, py),
                )
                .map_err(draw_err)?;
            }
        }
        root.present().map_err(draw_err)?;
    }
    Ok(finish_svg(buf, style))
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
