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
