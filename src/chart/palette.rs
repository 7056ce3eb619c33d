//! The neutral colours of the charts (the status colours are in [`crate::assess::style`]).

use plotters::style::RGBColor;

/// Neutral colours shared by the charts.
pub const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
pub const GRID: RGBColor = RGBColor(0xE3, 0xE3, 0xE3);
pub const MUTED: RGBColor = RGBColor(0x66, 0x66, 0x66);
pub const FAN: RGBColor = RGBColor(0x00, 0x72, 0xB2);
pub const REQUIRED: RGBColor = RGBColor(0x55, 0x55, 0x55);
pub const TARGET: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
