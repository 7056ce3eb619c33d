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

pub use dashboard::{dashboard, DashboardChart, DashboardRow};
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
    pub width: u32,
    pub height: u32,
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
    pub text: String,
    pub width: u32,
    pub height: u32,
}

impl Svg {
    /// Rasterises the SVG with resvg, using only the bundled font.
    pub fn to_png(&self) -> Result<Vec<u8>> {
        let tree = resvg::usvg::Tree::from_str(&self.text, usvg_options())
            .map_err(|e| Error::Render(format!("SVG could not be parsed: {e}")))?;
        let mut pixmap = resvg::tiny_skia::Pixmap::new(self.width, self.height)
            .ok_or_else(|| Error::Render(format!("cannot allocate a {}×{} image", self.width, self.height)))?;
        pixmap.fill(resvg::tiny_skia::Color::WHITE);
        resvg::render(&tree, resvg::tiny_skia::Transform::default(), &mut pixmap.as_mut());
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
        plotters::style::register_font(FONT_FAMILY, plotters::style::FontStyle::Normal, FONT_BYTES).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(Error::Render("the bundled CJK font could not be loaded".into()))
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

/// "12.3%" with one decimal.
pub(crate) fn pct(v: f64) -> String {
    format!("{v:.1}%")
}
