//! The trajectory chart of one jurisdiction and indicator: observations with 80 % intervals
//! (the tables' level), the required path from baseline to target (dashed, as its legend
//! sample), the projection median with 80 % and 95 % fans, the target (a measured target-year
//! value is drawn over it), an optional as-of line, status and P(reach) in the subtitle, and
//! the source line wrapped under the chart. Value labels are placed where they overlap no
//! other label, dot or the axis, or left out.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::canvas::{draw_err, ensure_font, finish_svg, ChartStyle, Svg, FONT_FAMILY};
use super::palette::{FAN, GRID, INK, MUTED, MUTED_DASHED, REQUIRED_DASHED, TARGET};
use super::trajectory_chart::TrajectoryChart;
use crate::assess::style::status_style;
use crate::error::Result;
use crate::model::format::percent_1dp;
use crate::model::Lang;
use crate::trend::Forecast;

/// Draws the trajectory chart as SVG.
///
/// The steps, in drawing order (later ones are drawn over earlier ones, and the legend lists
/// the labelled series in this order): header and source line, axes, projection fans, required
/// path, as-of line, observations, then the plan target or the candidate targets, and the legend.
pub fn trajectory(c: &TrajectoryChart, style: &ChartStyle) -> Result<Svg> {
    ensure_font()?;
    let words = TrajectoryWords::of(style.lang);
    let (w, h) = (style.width, style.height);
    let font = |size: f64| (FONT_FAMILY, style.px(size)).into_font();
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        let header = style.px(120);
        let left = style.px(36);
        let source = super::canvas::wrap_text(
            &c.source,
            f64::from(w.saturating_sub(2 * left)),
            f64::from(style.px(18)) * super::canvas::PLOTTERS_EM,
            3,
        );
        let line = (f64::from(style.px(18)) * 1.4).round() as u32;
        let footer = style.px(24) + line * source.len().max(1) as u32;
        let (top, rest) = root.split_vertically(header);
        let (mid, bottom) = rest.split_vertically(h.saturating_sub(header + footer));
        draw_titles(&top, &bottom, c, &source, style, &font)?;

        let axes = Axes::of(c);
        let mut chart = ChartBuilder::on(&mid)
            .margin_left(style.px(20))
            .margin_right(style.px(40))
            .margin_top(style.px(10))
            .x_label_area_size(style.px(56))
            .y_label_area_size(style.px(90))
            .build_cartesian_2d(axes.x0..axes.x1, 0.0..axes.y1)
            .map_err(draw_err)?;
        draw_mesh(&mut chart, &axes, &font, words)?;

        // Fans first, so that everything else is drawn over them.
        draw_fans(&mut chart, c, words)?;
        draw_required_path(&mut chart, c, words)?;
        draw_as_of(&mut chart, c, axes.y1, &font, words)?;

        // The target before the observations: a measured target-year value is drawn over
        // the target marker, and the value labels keep clear of the target's labels.
        let ranges = (axes.x0, axes.x1, axes.y1);
        let taken = if c.candidates.is_empty() {
            draw_target(&mut chart, c, ranges, &font, words)?
        } else {
            draw_candidates(&mut chart, c, ranges, &font)?
        };
        draw_observations(&root, &mut chart, c, &axes, style, taken, words)?;

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

/// The words of the trajectory chart in one language: axis titles, legend entries and the
/// prefixes of the as-of, target and projection labels.
struct TrajectoryWords {
    /// The language (of the target's wording, [`crate::model::Qualifier::phrase`]).
    lang: Lang,
    year: &'static str,
    share: &'static str,
    interval95: &'static str,
    interval80: &'static str,
    median: &'static str,
    required: &'static str,
    as_of: &'static str,
    survey: &'static str,
    target: &'static str,
    target_label: &'static str,
    projected_label: &'static str,
}

impl TrajectoryWords {
    const ZH: TrajectoryWords = TrajectoryWords {
        lang: Lang::Zh,
        year: "年份",
        share: "比例（%）",
        interval95: "95%预测区间",
        interval80: "80%预测区间",
        median: "预测中位数",
        required: "达标所需路径",
        as_of: "评估时点 ",
        survey: "调查值（80%置信区间）",
        target: "目标值",
        target_label: "目标 ",
        projected_label: "预测 ",
    };

    const EN: TrajectoryWords = TrajectoryWords {
        lang: Lang::En,
        year: "Year",
        share: "Share (%)",
        interval95: "95% interval",
        interval80: "80% interval",
        median: "Projection (median)",
        required: "Required path",
        as_of: "as of ",
        survey: "Survey value (80% CI)",
        target: "Target",
        target_label: "target ",
        projected_label: "proj. ",
    };

    /// The words of `lang`.
    fn of(lang: Lang) -> &'static TrajectoryWords {
        match lang {
            Lang::Zh => &Self::ZH,
            Lang::En => &Self::EN,
        }
    }
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
    source: &[String],
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
    // One line, shortened with "…" to the image's width (a measured row's reason is long;
    // the tables hold it whole).
    let subtitle = super::canvas::fit_text(
        &c.subtitle,
        f64::from(style.width) - 2.0 * f64::from(left),
        f64::from(style.px(26)),
    );
    top.draw_text(
        &subtitle,
        &font(26.0).color(&sub_color),
        (left, style.px(74) as i32),
    )
    .map_err(draw_err)?;
    let line = (f64::from(style.px(18)) * 1.4).round() as i32;
    for (i, l) in source.iter().enumerate() {
        bottom
            .draw_text(
                l,
                &font(18.0).color(&MUTED),
                (left, style.px(14) as i32 + i as i32 * line),
            )
            .map_err(draw_err)?;
    }
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
            top_val = top_val.max(o.hi80.unwrap_or(o.value));
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
    words: &TrajectoryWords,
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
        .x_desc(words.year)
        .y_desc(words.share)
        .label_style(font(22.0).color(&INK))
        .axis_desc_style(font(22.0).color(&MUTED))
        .draw()
        .map_err(draw_err)?;
    Ok(())
}

/// The projection's 95 % and 80 % fans and its median line (only with two or more years).
fn draw_fans(
    chart: &mut Chart2d<'_, '_>,
    c: &TrajectoryChart,
    words: &TrajectoryWords,
) -> Result<()> {
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
    // The 95 % fan under the 80 % one: (lower end, upper end, opacity, legend entry).
    type Fan = (
        fn(&Forecast) -> f64,
        fn(&Forecast) -> f64,
        f64,
        &'static str,
    );
    let fans: [Fan; 2] = [
        (|f| f.lo95, |f| f.hi95, 0.13, words.interval95),
        (|f| f.lo80, |f| f.hi80, 0.28, words.interval80),
    ];
    for (lo, hi, opacity, label) in fans {
        let fill = FAN.mix(opacity).filled();
        chart
            .draw_series(std::iter::once(Polygon::new(band(lo, hi), fill)))
            .map_err(draw_err)?
            .label(label)
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 20, y + 6)], fill));
    }
    chart
        .draw_series(LineSeries::new(
            c.projection.iter().map(|f| (f64::from(f.year), f.median)),
            FAN.stroke_width(3),
        ))
        .map_err(draw_err)?
        .label(words.median)
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], FAN.stroke_width(3)));
    Ok(())
}

/// The required path: a dashed line from the baseline to the target (when there is a baseline).
fn draw_required_path(
    chart: &mut Chart2d<'_, '_>,
    c: &TrajectoryChart,
    words: &TrajectoryWords,
) -> Result<()> {
    let Some((by, bv)) = c.baseline else {
        return Ok(());
    };
    // Drawn in the dash-marking colour: the path and its legend sample are both written with
    // the same stroke-dasharray (super::palette::DASHED).
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(f64::from(by), bv), (f64::from(c.target.0), c.target.1)],
            REQUIRED_DASHED.stroke_width(2),
        )))
        .map_err(draw_err)?
        .label(words.required)
        .legend(|(x, y)| {
            PathElement::new(vec![(x, y), (x + 24, y)], REQUIRED_DASHED.stroke_width(2))
        });
    Ok(())
}

/// The as-of year: a dashed vertical line, labelled at its top (when an as-of year is set).
fn draw_as_of<'f>(
    chart: &mut Chart2d<'_, '_>,
    c: &TrajectoryChart,
    y1: f64,
    font: &dyn Fn(f64) -> FontDesc<'f>,
    words: &TrajectoryWords,
) -> Result<()> {
    let Some(a) = c.as_of else {
        return Ok(());
    };
    let ax = f64::from(a);
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(ax, 0.0), (ax, y1)],
            MUTED_DASHED.stroke_width(1),
        )))
        .map_err(draw_err)?;
    let label = format!("{}{a}", words.as_of);
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

/// A label's box in pixels: left, top, right, bottom.
type PxBox = (i32, i32, i32, i32);

fn overlaps(a: &PxBox, b: &PxBox) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// Observations with their 80 % intervals (capped whiskers), a dot each, and the value
/// written beside the dot: left of it, else right, else above — the first place inside the
/// plot that overlaps no dot, no label drawn before and none of `taken` (the target's
/// labels); a value with no free place is not written.
fn draw_observations(
    root: &Area<'_>,
    chart: &mut Chart2d<'_, '_>,
    c: &TrajectoryChart,
    axes: &Axes,
    style: &ChartStyle,
    mut taken: Vec<PxBox>,
    words: &TrajectoryWords,
) -> Result<()> {
    let cap = (axes.x1 - axes.x0) * 0.006;
    for o in &c.observed {
        if let (Some(lo), Some(hi)) = (o.lo80, o.hi80) {
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
        .label(words.survey)
        .legend(move |(x, y)| Circle::new((x + 10, y), 6, INK.filled()));
    // Pixel boxes: the plot area, and every dot.
    let (px0, py0) = chart.backend_coord(&(axes.x0, axes.y1));
    let (px1, py1) = chart.backend_coord(&(axes.x1, 0.0));
    let r = dot as i32 + 2;
    let dots: Vec<(i32, i32)> = c
        .observed
        .iter()
        .map(|o| chart.backend_coord(&(f64::from(o.year), o.value)))
        .collect();
    taken.extend(dots.iter().map(|&(x, y)| (x - r, y - r, x + r, y + r)));
    // The whiskers, so that no label is written across an interval.
    for o in &c.observed {
        if let (Some(lo), Some(hi)) = (o.lo80, o.hi80) {
            let x = f64::from(o.year);
            let (a, b) = (
                chart.backend_coord(&(x - cap, hi)),
                chart.backend_coord(&(x + cap, lo)),
            );
            taken.push((a.0 - 1, a.1 - 1, b.0 + 1, b.1 + 1));
        }
    }
    let size = f64::from(style.px(18));
    let font = (FONT_FAMILY, size).into_font();
    // Plotters writes a font of `size` px with an em of size / 1.24 px.
    let em = size * super::canvas::PLOTTERS_EM;
    for (o, &(x, y)) in c.observed.iter().zip(&dots) {
        let text = format!("{:.2}", o.value);
        let tw = text
            .chars()
            .map(|ch| super::canvas::char_px(ch, em))
            .sum::<f64>()
            .ceil() as i32;
        let th = em.ceil() as i32 + 2;
        let gap = r + 2;
        // Left, right, above, above-left, above-right, below-right.
        let places = [
            ((x - gap - tw, y - th / 2), HPos::Left),
            ((x + gap, y - th / 2), HPos::Left),
            ((x - tw / 2, y - gap - th), HPos::Left),
            ((x - gap / 2 - tw, y - gap - th + 2), HPos::Left),
            ((x + gap / 2, y - gap - th + 2), HPos::Left),
            ((x + gap / 2, y + gap - 2), HPos::Left),
        ];
        let free = places.into_iter().find(|((lx, ly), _)| {
            let b = (*lx, *ly, lx + tw, ly + th);
            b.0 >= px0 + 2
                && b.2 <= px1 - 2
                && b.1 >= py0
                && b.3 <= py1
                && !taken.iter().any(|t| overlaps(t, &b))
        });
        if let Some(((lx, ly), hpos)) = free {
            root.draw_text(
                &text,
                &font.color(&INK).pos(Pos::new(hpos, VPos::Top)),
                (lx, ly),
            )
            .map_err(draw_err)?;
            taken.push((lx, ly, lx + tw, ly + th));
        }
    }
    Ok(())
}

/// The pixel box of `text` drawn at data point `at` with its left edge there and centred
/// vertically, at `size` px.
fn label_box(chart: &Chart2d<'_, '_>, at: (f64, f64), text: &str, size: f64) -> PxBox {
    let (x, y) = chart.backend_coord(&at);
    let em = size * super::canvas::PLOTTERS_EM;
    let w = text
        .chars()
        .map(|ch| super::canvas::char_px(ch, em))
        .sum::<f64>()
        .ceil() as i32;
    let h = (em / 2.0).ceil() as i32 + 1;
    (x, y - h, x + w, y + h)
}

/// The plan target (a diamond) and the projected median at the target year, labelled.
/// Returns the pixel boxes of the diamond and the labels.
fn draw_target<'f>(
    chart: &mut Chart2d<'_, '_>,
    c: &TrajectoryChart,
    (x0, x1, y1): (f64, f64, f64),
    font: &dyn Fn(f64) -> FontDesc<'f>,
    words: &TrajectoryWords,
) -> Result<Vec<PxBox>> {
    let (ty, tv) = (f64::from(c.target.0), c.target.1);
    let mut taken = Vec::new();
    let d = (x1 - x0) * 0.012;
    let dv = y1 * 0.018;
    chart
        .draw_series(std::iter::once(Polygon::new(
            vec![(ty, tv + dv), (ty + d, tv), (ty, tv - dv), (ty - d, tv)],
            TARGET.filled(),
        )))
        .map_err(draw_err)?
        .label(words.target)
        .legend(|(x, y)| {
            Polygon::new(
                vec![(x + 10, y - 7), (x + 17, y), (x + 10, y + 7), (x + 3, y)],
                TARGET.filled(),
            )
        });
    let phrase = crate::model::Qualifier::phrase(c.qualifier, &percent_1dp(tv), words.lang);
    let target_label = format!("{}{phrase}", words.target_label);
    // The diamond's middle (its bounding box's corners are empty).
    let (a, b) = (
        chart.backend_coord(&(ty - d / 2.0, tv + dv / 2.0)),
        chart.backend_coord(&(ty + d / 2.0, tv - dv / 2.0)),
    );
    taken.push((a.0, a.1, b.0, b.1));
    taken.push(write_label(
        chart,
        target_label,
        (ty + 2.0 * d, tv),
        font(22.0),
        &TARGET,
    )?);
    if let Some(f) = c.projection.last() {
        let label = format!("{}{}", words.projected_label, percent_1dp(f.median));
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
        taken.push(write_label(
            chart,
            label,
            (ty + 2.0 * d, ly),
            font(22.0),
            &FAN,
        )?);
    }
    Ok(taken)
}

/// Candidate targets at the target year: one tick per probability, labelled
/// 「P=0.80 → 15.20%」 (the value reached with that probability). Returns the labels' pixel
/// boxes.
fn draw_candidates<'f>(
    chart: &mut Chart2d<'_, '_>,
    c: &TrajectoryChart,
    (x0, x1, _y1): (f64, f64, f64),
    font: &dyn Fn(f64) -> FontDesc<'f>,
) -> Result<Vec<PxBox>> {
    let ty = f64::from(c.target.0);
    let d = (x1 - x0) * 0.015;
    let mut taken = Vec::new();
    for (p, v) in &c.candidates {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(ty - d, *v), (ty + d, *v)],
                TARGET.stroke_width(4),
            )))
            .map_err(draw_err)?;
        let text = format!("P={p:.2} → {}", percent_1dp(*v));
        taken.push(write_label(
            chart,
            text,
            (ty + 1.5 * d, *v),
            font(20.0),
            &TARGET,
        )?);
    }
    Ok(taken)
}

/// Writes `text` in `font` and `colour` with its left edge at data point `at`, centred
/// vertically; returns its pixel box ([`label_box`]).
fn write_label(
    chart: &mut Chart2d<'_, '_>,
    text: String,
    at: (f64, f64),
    font: FontDesc<'_>,
    colour: &RGBColor,
) -> Result<PxBox> {
    let size = f64::from(font.get_size() as f32);
    let placed = label_box(chart, at, &text, size);
    chart
        .draw_series(std::iter::once(Text::new(
            text,
            at,
            font.color(colour).pos(Pos::new(HPos::Left, VPos::Center)),
        )))
        .map_err(draw_err)?;
    Ok(placed)
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
