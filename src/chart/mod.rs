//! Charts for briefings: trajectory fan charts, a status dashboard and sub-indicator
//! progress bars, drawn with plotters into SVG (live text) and rasterised to PNG with resvg.
//!
//! Chinese always renders: the bundled WenQuanYi Micro Hei (face 0 of the Debian
//! `fonts-wqy-microhei` collection, Apache-2.0; see `src/chart/fonts/`) is registered with
//! plotters for text measurement and loaded from bytes into resvg's font database, so no
//! system font is ever consulted. SVG files name a CJK font stack so that browsers and
//! Word/WPS pick a local CJK font when they do not embed ours.

mod dashboard;
mod indicators;
pub mod palette;
mod trajectory;

use std::sync::OnceLock;

use crate::error::{Error, Result};
use crate::model::Lang;

pub use dashboard::{dashboard, dashboard_title, DashboardChart, DashboardRow};
pub use indicators::{indicators, IndicatorBar, IndicatorsChart};
pub use trajectory::{trajectory, ObservedPoint, TrajectoryChart};

/// The bundled CJK font (WenQuanYi Micro Hei, face 0).
pub static FONT_BYTES: &[u8] = include_bytes!("fonts/wqy-microhei.ttf");
/// Its family name, as registered with plotters and found by resvg.
pub const FONT_FAMILY: &str = "WenQuanYi Micro Hei";
/// The font stack written into SVG files.
pub const SVG_FONT_STACK: &str =
    "'WenQuanYi Micro Hei', 'Microsoft YaHei', 'PingFang SC', 'Noto Sans CJK SC', 'Source Han Sans SC', SimHei, sans-serif";

/// Size and language of a chart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChartStyle {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Language of titles, labels and legends.
    pub lang: Lang,
}

impl Default for ChartStyle {
    fn default() -> Self {
        ChartStyle {
            width: 1600,
            height: 1000,
            lang: Lang::Zh,
        }
    }
}

impl ChartStyle {
    /// Font sizes scale with the chart's smaller side (base: 1000 px).
    pub(crate) fn px(&self, size: impl Into<f64>) -> u32 {
        let size: f64 = size.into();
        let scale = f64::from(self.width.min(self.height)) / 1000.0;
        (size * scale).round().max(6.0) as u32
    }

    pub(crate) fn zh(&self) -> bool {
        self.lang == Lang::Zh
    }
}

/// An SVG document produced by a chart function.
#[derive(Debug, Clone, PartialEq)]
pub struct Svg {
    /// The SVG markup.
    pub text: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl Svg {
    /// Rasterises the SVG with resvg, using only the bundled font.
    pub fn to_png(&self) -> Result<Vec<u8>> {
        let tree = resvg::usvg::Tree::from_str(&self.text, usvg_options())
            .map_err(|e| Error::Render(format!("SVG could not be parsed: {e}")))?;
        let mut pixmap =
            resvg::tiny_skia::Pixmap::new(self.width, self.height).ok_or_else(|| {
                Error::Render(format!(
                    "cannot allocate a {}×{} image",
                    self.width, self.height
                ))
            })?;
        pixmap.fill(resvg::tiny_skia::Color::WHITE);
        resvg::render(
            &tree,
            resvg::tiny_skia::Transform::default(),
            &mut pixmap.as_mut(),
        );
        pixmap
            .encode_png()
            .map_err(|e| Error::Render(format!("PNG encoding failed: {e}")))
    }
}

fn usvg_options() -> &'static resvg::usvg::Options<'static> {
    static OPTS: OnceLock<resvg::usvg::Options<'static>> = OnceLock::new();
    OPTS.get_or_init(|| {
        let mut opt = resvg::usvg::Options {
            font_family: FONT_FAMILY.to_string(),
            ..resvg::usvg::Options::default()
        };
        opt.fontdb_mut().load_font_data(FONT_BYTES.to_vec());
        opt
    })
}

/// Registers the bundled font with plotters (once).
pub(crate) fn ensure_font() -> Result<()> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        plotters::style::register_font(FONT_FAMILY, plotters::style::FontStyle::Normal, FONT_BYTES)
            .is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(Error::Render(
            "the bundled CJK font could not be loaded".into(),
        ))
    }
}

/// Turns a plotters error into ours.
pub(crate) fn draw_err<E: std::fmt::Debug>(e: E) -> Error {
    Error::Render(format!("drawing failed: {e:?}"))
}

/// Replaces plotters' single font name by the CJK font stack.
pub(crate) fn finish_svg(mut text: String, style: &ChartStyle) -> Svg {
    text = text.replace(
        &format!("font-family=\"{FONT_FAMILY}\""),
        &format!("font-family=\"{SVG_FONT_STACK}\""),
    );
    Svg {
        text,
        width: style.width,
        height: style.height,
    }
}

/// The plotting context of the row charts: f64 × f64 on an SVG backend.
pub(crate) type RowChart<'a, 'b> = plotters::chart::ChartContext<
    'a,
    plotters::prelude::SVGBackend<'b>,
    plotters::coord::cartesian::Cartesian2d<
        plotters::coord::types::RangedCoordf64,
        plotters::coord::types::RangedCoordf64,
    >,
>;

/// The frame shared by the row charts (dashboard, sub-indicators): title, subtitle and source
/// line on `root`, and a chart with one row per item (row i centred at y = n − i − 0.5), an x
/// axis 0..`x1` labelled by `x_label`, and `label_w` pixels on the left for row labels.
/// Returns the chart and the height of one row in pixels.
#[allow(clippy::too_many_arguments)]
pub(crate) fn row_chart<'a, 'b>(
    root: &'a plotters::drawing::DrawingArea<
        plotters::prelude::SVGBackend<'b>,
        plotters::coord::Shift,
    >,
    style: &ChartStyle,
    titles: [&str; 3],
    header: u32,
    rows: usize,
    x1: f64,
    label_w: u32,
    x_label: &dyn Fn(&f64) -> String,
) -> Result<(RowChart<'a, 'b>, i32)> {
    use palette::{GRID, INK, MUTED};
    use plotters::prelude::*;
    let font = |size: f64| (FONT_FAMILY, style.px(size)).into_font();
    let left = style.px(36) as i32;
    let h = style.height;
    let [title, subtitle, source] = titles;
    root.draw_text(title, &font(36.0).color(&INK), (left, style.px(18) as i32))
        .map_err(draw_err)?;
    root.draw_text(
        subtitle,
        &font(20.0).color(&MUTED),
        (left, style.px(64) as i32),
    )
    .map_err(draw_err)?;
    root.draw_text(
        source,
        &font(16.0).color(&MUTED),
        (left, h as i32 - style.px(30) as i32),
    )
    .map_err(draw_err)?;
    let footer = style.px(40);
    let (_, rest) = root.split_vertically(header);
    let (mid, _) = rest.split_vertically(h.saturating_sub(header + footer));
    let mut chart = ChartBuilder::on(&mid)
        .margin_right(style.px(40))
        .margin_top(style.px(6))
        .x_label_area_size(style.px(50))
        .y_label_area_size(label_w)
        .build_cartesian_2d(0.0..x1, 0.0..rows.max(1) as f64)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .disable_y_axis()
        .light_line_style(GRID.mix(0.0))
        .bold_line_style(GRID)
        .axis_style(MUTED)
        .x_labels(10)
        .x_label_formatter(x_label)
        .label_style(font(20.0).color(&INK))
        .draw()
        .map_err(draw_err)?;
    let (_, a) = chart.backend_coord(&(0.0, 0.0));
    let (_, b) = chart.backend_coord(&(0.0, 1.0));
    Ok((chart, (a - b).abs()))
}

/// `text` shortened with "…" so that it fits in `max_px` pixels at a font size of `size_px`
/// (CJK and other wide characters count one em, others 0.55 em — the bundled WenQuanYi Micro
/// Hei's proportions), so that a long credit line never runs off the image.
pub(crate) fn fit_text(text: &str, max_px: f64, size_px: f64) -> String {
    let width = |c: char| {
        if c.is_ascii() {
            0.55 * size_px
        } else {
            size_px
        }
    };
    let total: f64 = text.chars().map(width).sum();
    if total <= max_px {
        return text.to_string();
    }
    let budget = max_px - size_px; // room for the ellipsis
    let mut used = 0.0;
    let mut out = String::new();
    for c in text.chars() {
        used += width(c);
        if used > budget {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod fit_tests {
    use super::fit_text;

    #[test]
    fn long_text_is_cut_to_the_width() {
        // 10 CJK characters at 18 px are 180 px: fits in 200, not in 100.
        let t = "数据来源中国科协调查";
        assert_eq!(fit_text(t, 200.0, 18.0), t);
        // 100 px − 18 px for "…" leaves 82 px: four characters (72 px), then "…".
        assert_eq!(fit_text(t, 100.0, 18.0), "数据来源…");
    }
}
