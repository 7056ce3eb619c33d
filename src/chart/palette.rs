//! The neutral colours of the charts (the status colours are in [`crate::assess::style`]).

use plotters::style::RGBColor;

/// Neutral colours shared by the charts.
pub const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// Light grey of grid lines.
pub const GRID: RGBColor = RGBColor(0xE3, 0xE3, 0xE3);
/// Mid grey for axes, subtitles, secondary marks and bars without data.
pub const MUTED: RGBColor = RGBColor(0x66, 0x66, 0x66);
/// Blue (Okabe–Ito) of the projection median and its fans.
pub const FAN: RGBColor = RGBColor(0x00, 0x72, 0xB2);
/// Dark grey of the required path from baseline to target.
pub const REQUIRED: RGBColor = RGBColor(0x55, 0x55, 0x55);
/// Vermilion (Okabe–Ito) of the target.
pub const TARGET: RGBColor = RGBColor(0xD5, 0x5E, 0x00);

/// Stroke colour that marks the required path as dashed: one unit of blue away from
/// [`REQUIRED`], replaced in the SVG by [`REQUIRED`] with a dash pattern ([`DASHED`]).
pub const REQUIRED_DASHED: RGBColor = RGBColor(0x55, 0x55, 0x56);
/// Stroke colour that marks a grey line (the as-of line) as dashed, see [`DASHED`].
pub const MUTED_DASHED: RGBColor = RGBColor(0x66, 0x66, 0x67);

/// Dashed strokes: (marking colour drawn, colour written, SVG `stroke-dasharray`). A line and
/// its legend sample drawn in the marking colour both come out dashed.
pub const DASHED: [(RGBColor, RGBColor, &str); 2] = [
    (REQUIRED_DASHED, REQUIRED, "9 6"),
    (MUTED_DASHED, MUTED, "6 6"),
];
