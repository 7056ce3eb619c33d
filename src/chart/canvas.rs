//! The canvas shared by every chart: the bundled font and its registration, the chart size
//! and language ([`ChartStyle`]), the SVG document and its rasterisation ([`Svg`]), the frame
//! and vertical layout of the row charts, and the text measuring that keeps labels inside
//! the image.

use std::sync::OnceLock;

use super::palette;
use crate::error::{Error, Result};
use crate::model::Lang;

/// The bundled CJK font (WenQuanYi Micro Hei, face 0).
pub static FONT_BYTES: &[u8] = include_bytes!("fonts/wqy-microhei.ttf");
/// Its family name, as registered with plotters and found by resvg.
pub const FONT_FAMILY: &str = "WenQuanYi Micro Hei";
/// The font stack written into SVG files.
pub const SVG_FONT_STACK: &str =
    "'WenQuanYi Micro Hei', 'Microsoft YaHei', 'PingFang SC', 'Noto Sans CJK SC', 'Source Han Sans SC', SimHei, sans-serif";

/// The em of plotters' text: a font asked for at `size` px is written with
/// `font-size` = size / 1.24 (its points-to-pixels factor), so widths are measured on that.
pub(crate) const PLOTTERS_EM: f64 = 1.0 / 1.24;

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
        let tree = resvg::usvg::Tree::from_str(&self.text, usvg_options()).map_err(|e| {
            Error::drawing(text!("无法解析 SVG：{e}", "SVG could not be parsed: {e}"))
        })?;
        let mut pixmap =
            resvg::tiny_skia::Pixmap::new(self.width, self.height).ok_or_else(|| {
                Error::drawing(text!(
                    "无法分配 {}×{} 的图像",
                    "cannot allocate a {}×{} image",
                    self.width,
                    self.height
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
            .map_err(|e| Error::drawing(text!("PNG 编码失败：{e}", "PNG encoding failed: {e}")))
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
        Err(Error::drawing(text!(
            "无法加载内置的中文字体",
            "the bundled CJK font could not be loaded"
        )))
    }
}

/// Turns a plotters error into ours.
pub(crate) fn draw_err<E: std::fmt::Debug>(e: E) -> Error {
    Error::drawing(text!("绘图失败：{e:?}", "drawing failed: {e:?}"))
}

/// Replaces plotters' single font name by the CJK font stack, and the stroke colours that
/// mark dashed lines ([`palette::DASHED`]) by their colour with a `stroke-dasharray`, so that a
/// dashed path and its legend sample are dashed the same way (in SVG and in the PNG).
pub(crate) fn finish_svg(text: String, style: &ChartStyle) -> Svg {
    finish_svg_sized(text, style.width, style.height)
}

/// [`finish_svg`] for an image whose height differs from the style's (row charts).
pub(crate) fn finish_svg_sized(mut text: String, width: u32, height: u32) -> Svg {
    text = text.replace(
        &format!("font-family=\"{FONT_FAMILY}\""),
        &format!("font-family=\"{SVG_FONT_STACK}\""),
    );
    for (mark, color, dashes) in palette::DASHED {
        let hex = |c: &plotters::style::RGBColor| format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
        text = text.replace(
            &format!("stroke=\"{}\"", hex(&mark)),
            &format!("stroke=\"{}\" stroke-dasharray=\"{dashes}\"", hex(&color)),
        );
    }
    Svg {
        text,
        width,
        height,
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

/// The vertical layout of a row chart (dashboard, evaluation, sub-indicators): a header band,
/// `rows` rows of a fixed pitch, the x axis, and the wrapped footer lines.
///
/// Each row is [`RowLayout::NOMINAL_PITCH`] px (scaled like the fonts) high, so two rows and
/// twenty rows are drawn at the same pitch: the image is as tall as its rows need, up to
/// `--height`. Only when the rows do not fit into `--height` does the pitch shrink (a
/// 3,000-county dashboard stays one image).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RowLayout {
    /// Height of the header band (title, subtitle, legend) in pixels.
    pub header: u32,
    /// The footer's lines (source and notes), already wrapped to the image width.
    pub footer: Vec<String>,
    /// Number of rows.
    pub rows: usize,
    /// Image height in pixels.
    pub height: u32,
}

impl RowLayout {
    /// Pitch of a row at the base scale (1000 px), in pixels.
    pub const NOMINAL_PITCH: f64 = 32.0;

    /// The layout of `rows` rows under a `header` px band with `footer` text (wrapped to the
    /// image width, at most three lines, see [`wrap_text`]).
    pub fn new(style: &ChartStyle, header: u32, footer: &str, rows: usize) -> RowLayout {
        let left = style.px(36);
        let width = f64::from(style.width.saturating_sub(2 * left));
        let footer = wrap_text(footer, width, f64::from(style.px(16)) * PLOTTERS_EM, 3);
        let mut layout = RowLayout {
            header,
            footer,
            rows: rows.max(1),
            height: style.height,
        };
        let fixed = layout.header + layout.footer_height(style) + layout.axis_height(style);
        let needed = fixed + layout.rows as u32 * style.px(Self::NOMINAL_PITCH);
        layout.height = needed.clamp(200, style.height.max(200));
        layout
    }

    /// Height of the footer band: one line per footer line plus padding.
    pub fn footer_height(&self, style: &ChartStyle) -> u32 {
        let line = (f64::from(style.px(16)) * 1.4).round() as u32;
        line * self.footer.len().max(1) as u32 + style.px(20)
    }

    /// Height of the x axis (tick labels) plus the top margin of the plot.
    pub fn axis_height(&self, style: &ChartStyle) -> u32 {
        style.px(50) + style.px(6)
    }
}

/// The frame shared by the row charts (dashboard, evaluation, sub-indicators): title, subtitle
/// and footer lines on `root` (whose height is `layout.height`), and a chart with one row per
/// item (row i centred at y = n − i − 0.5), an x axis over `x` labelled by `x_label`, `label_w`
/// pixels on the left for row labels and `right_w` on the right for row notes.
/// Returns the chart and the height of one row in pixels.
#[allow(clippy::too_many_arguments)]
pub(crate) fn row_chart<'a, 'b>(
    root: &'a plotters::drawing::DrawingArea<
        plotters::prelude::SVGBackend<'b>,
        plotters::coord::Shift,
    >,
    style: &ChartStyle,
    [title, subtitle]: [&str; 2],
    layout: &RowLayout,
    x: std::ops::Range<f64>,
    label_w: u32,
    right_w: u32,
    x_label: &dyn Fn(&f64) -> String,
) -> Result<(RowChart<'a, 'b>, i32)> {
    use palette::{GRID, INK, MUTED};
    use plotters::prelude::*;
    let font = |size: f64| (FONT_FAMILY, style.px(size)).into_font();
    let left = style.px(36) as i32;
    let h = layout.height;
    root.draw_text(title, &font(36.0).color(&INK), (left, style.px(18) as i32))
        .map_err(draw_err)?;
    root.draw_text(
        subtitle,
        &font(20.0).color(&MUTED),
        (left, style.px(64) as i32),
    )
    .map_err(draw_err)?;
    let footer = layout.footer_height(style);
    let line = (f64::from(style.px(16)) * 1.4).round() as i32;
    let mut fy = (h - footer) as i32 + style.px(10) as i32;
    for l in &layout.footer {
        root.draw_text(l, &font(16.0).color(&MUTED), (left, fy))
            .map_err(draw_err)?;
        fy += line;
    }
    let (_, rest) = root.split_vertically(layout.header);
    let (mid, _) = rest.split_vertically(h.saturating_sub(layout.header + footer));
    let mut chart = ChartBuilder::on(&mid)
        .margin_right(right_w + style.px(40))
        .margin_top(style.px(6))
        .x_label_area_size(style.px(50))
        .y_label_area_size(label_w)
        .build_cartesian_2d(x, 0.0..layout.rows as f64)
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

/// Display width of a character at `size_px`: CJK and other wide characters one em, others
/// 0.55 em (the bundled WenQuanYi Micro Hei's proportions).
pub(crate) fn char_px(c: char, size_px: f64) -> f64 {
    if c.is_ascii() {
        0.55 * size_px
    } else {
        size_px
    }
}

/// `text` shortened with "…" so that it fits in `max_px` pixels at a font size of `size_px`
/// (CJK and other wide characters count one em, others 0.55 em — the bundled WenQuanYi Micro
/// Hei's proportions), so that a long label never runs off the image.
pub(crate) fn fit_text(text: &str, max_px: f64, size_px: f64) -> String {
    let total: f64 = text.chars().map(|c| char_px(c, size_px)).sum();
    if total <= max_px {
        return text.to_string();
    }
    let budget = max_px - size_px; // room for the ellipsis
    let mut used = 0.0;
    let mut out = String::new();
    for c in text.chars() {
        used += char_px(c, size_px);
        if used > budget {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// `text` broken into lines of at most `max_px` pixels at `size_px` (the widths of
/// [`fit_text`]), at most `max_lines` lines (the last one shortened with "…" when the text
/// does not fit). Lines break after a space or punctuation, or between two wide (CJK)
/// characters; a run without such a place is broken where it reaches the width. An empty
/// text gives no lines.
pub(crate) fn wrap_text(text: &str, max_px: f64, size_px: f64, max_lines: usize) -> Vec<String> {
    let text = text.trim();
    if text.is_empty() || max_lines == 0 {
        return Vec::new();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut lines = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        if lines.len() + 1 == max_lines {
            let rest: String = chars[start..].iter().collect();
            lines.push(fit_text(rest.trim(), max_px, size_px));
            break;
        }
        let mut used = 0.0;
        let mut end = start;
        let mut last_break = None;
        while end < chars.len() {
            let w = char_px(chars[end], size_px);
            if used + w > max_px && end > start {
                break;
            }
            used += w;
            end += 1;
            let c = chars[end - 1];
            let next_wide = chars.get(end).is_some_and(|n| !n.is_ascii());
            if c == ' ' || ",;，；、）)".contains(c) || (!c.is_ascii() && next_wide) {
                last_break = Some(end);
            }
        }
        if end < chars.len() {
            if let Some(b) = last_break {
                end = b;
            }
        }
        let line: String = chars[start..end].iter().collect();
        lines.push(line.trim().to_string());
        start = end;
        while start < chars.len() && chars[start] == ' ' {
            start += 1;
        }
    }
    lines
}

#[cfg(test)]
mod fit_tests {
    use super::fit_text;

    #[test]
    fn long_text_wraps_at_punctuation_within_the_width() {
        // 18 px per CJK character, 0.55 × 18 = 9.9 px per ASCII one; 100 px hold five CJK
        // characters (90 px), the sixth would need 108.
        let lines = super::wrap_text("数据来源：中国科协，2024", 100.0, 18.0, 3);
        // "数据来源：" is 90 px (a sixth character would reach 108); "中国科协，" is 90 px
        // and "2" would fit (99.9 px) but "20" not, so the line breaks after "，"; "2024" is
        // 39.6 px.
        assert_eq!(lines, vec!["数据来源：", "中国科协，", "2024"]);
        // Two lines at most: the rest is shortened with "…" (82 px budget: four characters).
        let two = super::wrap_text("数据来源：中国科协，2024年发布", 100.0, 18.0, 2);
        assert_eq!(two, vec!["数据来源：", "中国科协…"]);
        assert!(super::wrap_text("  ", 100.0, 18.0, 3).is_empty());
    }

    #[test]
    fn long_text_is_cut_to_the_width() {
        // 10 CJK characters at 18 px are 180 px: fits in 200, not in 100.
        let t = "数据来源中国科协调查";
        assert_eq!(fit_text(t, 200.0, 18.0), t);
        // 100 px − 18 px for "…" leaves 82 px: four characters (72 px), then "…".
        assert_eq!(fit_text(t, 100.0, 18.0), "数据来源…");
    }
}
