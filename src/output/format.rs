//! The output formats a table command can write (`--format`, or the extension of `-o`).

use std::path::Path;

/// Output formats of table commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Terminal table (the default).
    #[default]
    Table,
    /// Comma-separated values.
    Csv,
    /// JSON.
    Json,
    /// One sheet per table; binary, so it needs `-o FILE`.
    Xlsx,
    /// A Markdown (GitHub) table with every column.
    Markdown,
}

impl std::str::FromStr for Format {
    type Err = crate::error::UnknownName;

    /// The format named by `--format` (case-insensitive): table, csv, json, xlsx or md
    /// (markdown).
    fn from_str(name: &str) -> std::result::Result<Format, Self::Err> {
        match name.to_ascii_lowercase().as_str() {
            "table" => Ok(Format::Table),
            "csv" => Ok(Format::Csv),
            "json" => Ok(Format::Json),
            "xlsx" => Ok(Format::Xlsx),
            "md" | "markdown" => Ok(Format::Markdown),
            _ => Err(crate::error::UnknownName::new(name, Format::NAMES)),
        }
    }
}

impl Format {
    /// The names of the table formats (`markdown` parses too).
    pub const NAMES: &'static [&'static str] = &["table", "csv", "json", "xlsx", "md"];

    /// The format a file's extension names (`.csv`, `.json`, `.xlsx`, `.md`), ignoring case.
    pub fn from_extension(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "xlsx" => Some(Format::Xlsx),
            "md" | "markdown" => Some(Format::Markdown),
            _ => None,
        }
    }
}
