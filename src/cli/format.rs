//! The output format: `--format` parsed once into a [`FormatFlag`] (a table format or a
//! chart format), then resolved per kind of command together with the extension of `-o`
//! ([`table_format`] for table commands, [`chart_format`] for charts).

use std::path::Path;

use crate::error::{Error, Result};
use crate::output::safety::echo;
use crate::output::Format;

/// Image format of a chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ChartFormat {
    /// PNG raster image.
    Png,
    /// SVG vector image.
    Svg,
}

impl ChartFormat {
    /// The chart formats' names.
    pub const NAMES: &'static [&'static str] = &["png", "svg"];

    /// File extension without the dot (`png`, `svg`).
    pub fn ext(self) -> &'static str {
        match self {
            ChartFormat::Png => "png",
            ChartFormat::Svg => "svg",
        }
    }

    /// `png` or `svg`, in any case.
    pub fn parse(name: &str) -> Option<ChartFormat> {
        <ChartFormat as clap::ValueEnum>::from_str(name, true).ok()
    }
}

/// What `--format` names: a table format or a chart format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatKind {
    /// table, csv, json, xlsx or md.
    Table(Format),
    /// png or svg.
    Chart(ChartFormat),
}

/// The value of `--format`, parsed once: the format and the word as given (messages echo it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatFlag {
    /// The format named.
    pub kind: FormatKind,
    /// The word as given (`PNG`, `markdown`…).
    pub given: String,
}

impl FormatFlag {
    /// A table format ([`Format`]) or a chart format ([`ChartFormat`]), in any case.
    pub fn parse(name: &str) -> Option<FormatFlag> {
        let kind = match name.parse::<Format>() {
            Ok(f) => FormatKind::Table(f),
            Err(_) => FormatKind::Chart(ChartFormat::parse(name)?),
        };
        Some(FormatFlag {
            kind,
            given: name.to_string(),
        })
    }
}

/// The format of a table command: `--format` when given, else the extension of `-o FILE`
/// (csv, json, xlsx, md), else the terminal table. An extension that names no table format
/// is refused, so a file's name never lies about its contents.
pub fn table_format(flag: Option<&FormatFlag>, output: Option<&Path>) -> Result<Format> {
    if let Some(flag) = flag {
        return match flag.kind {
            FormatKind::Table(f) => Ok(f),
            FormatKind::Chart(_) => Err(Error::usage(text!(
                "--format：应为 table、csv、json、xlsx 或 md，实际为 {}",
                "--format: expected table, csv, json, xlsx or md, found {}",
                echo(&flag.given)
            ))),
        };
    }
    let Some(path) = output else {
        return Ok(Format::Table);
    };
    if let Some(f) = Format::from_extension(path) {
        return Ok(f);
    }
    // A directory, a device, a FIFO or a link: the writer says what it accepts there.
    if std::fs::symlink_metadata(path).is_ok_and(|m| !m.is_file()) {
        return Ok(Format::Table);
    }
    let (what_zh, what) = match path.extension() {
        Some(e) => {
            let e = e.to_string_lossy();
            (format!("扩展名为 .{e}"), format!("its extension .{e}"))
        }
        None => ("没有扩展名".to_string(), "no extension".to_string()),
    };
    let file = echo(&path.display().to_string());
    Err(Error::usage(text!(
        "-o {file}：文件名{what_zh}；请把文件命名为 .csv、.json、.xlsx 或 .md 以选择格式（或给出 --format table|csv|json|xlsx|md）",
        "-o {file}: the file name has {what}; name the file .csv, .json, .xlsx or .md to choose the format (or give --format table|csv|json|xlsx|md)"
    )))
}

/// The image format of a chart: `--format` when given, else the extension of `-o` (lower
/// case; `None` for a directory), else PNG.
pub fn chart_format(
    flag: Option<&FormatFlag>,
    ext: Option<&str>,
    output: &Path,
) -> Result<ChartFormat> {
    match (flag, ext) {
        (Some(flag), _) => match flag.kind {
            FormatKind::Chart(c) => Ok(c),
            FormatKind::Table(_) => Err(Error::usage(text!(
                "--format：图表应为 png 或 svg，实际为 {}",
                "--format: expected png or svg for charts, found {}",
                echo(&flag.given)
            ))),
        },
        (None, Some("png")) | (None, None) => Ok(ChartFormat::Png),
        (None, Some("svg")) => Ok(ChartFormat::Svg),
        (None, Some(other)) => Err(Error::usage(text!(
"-o {}：图表写为 .png 或 .svg，而不是 .{other}；请把文件命名为 .png 或 .svg（或给出 --format png|svg）",
"-o {}: charts are written as .png or .svg, not .{other}; name the file .png or .svg (or give --format png|svg)",
            echo(&output.display().to_string())
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_format_is_parsed_once_and_keeps_the_word_given() {
        let png = FormatFlag::parse("PNG").expect("png");
        assert_eq!(png.kind, FormatKind::Chart(ChartFormat::Png));
        let md = FormatFlag::parse("markdown").expect("md");
        assert_eq!(md.kind, FormatKind::Table(Format::Markdown));
        assert!(FormatFlag::parse("pdf").is_none());
        // A chart format given to a table command is refused with the word as given.
        let e = table_format(Some(&png), None).unwrap_err();
        assert!(e.is_bad_input());
        assert!(e.to_string().ends_with("found \"PNG\""), "{e}");
        let e = chart_format(Some(&md), None, Path::new("x")).unwrap_err();
        assert!(e.to_string().ends_with("found \"markdown\""), "{e}");
        assert_eq!(
            chart_format(None, Some("svg"), Path::new("a.svg")).ok(),
            Some(ChartFormat::Svg)
        );
    }
}
