//! The table read from any tabular input ([`RawTable`]: text cells, the header as written,
//! each row's line) and its typed accessors, whose errors name the file, line and column.

use crate::error::{Error, Location, Result};

use super::encoding::TextEncoding;
use super::numbers::{normalize_width, parse_number};

/// How to read a table file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Encoding of text files (spreadsheets carry their own).
    pub encoding: TextEncoding,
    /// Sheet of a workbook to read (`--sheet NAME`); the first sheet when `None`.
    pub sheet: Option<String>,
}

/// One data row: its line (CSV) or row number (XLSX) and its cells as text.
#[derive(Debug, Clone, PartialEq)]
pub struct RawRow {
    /// 1-based line (CSV) or row number (XLSX) in the file.
    pub line: u64,
    /// Cell texts, untrimmed, in column order.
    pub cells: Vec<String>,
}

impl RawRow {
    /// The trimmed text of a cell (empty when the row is short).
    pub fn text(&self, col: usize) -> &str {
        self.cells.get(col).map(|s| s.trim()).unwrap_or("")
    }
}

/// A table as read: the header as written and text cells, with positions for messages.
#[derive(Debug, Clone, PartialEq)]
pub struct RawTable {
    /// File name (and sheet) used in messages.
    pub label: String,
    /// Header cells, trimmed, BOM removed, as written (no aliasing).
    pub headers: Vec<String>,
    /// Line (CSV) or row number (XLSX) of the header.
    pub header_line: u64,
    /// Rows that are not entirely empty.
    pub rows: Vec<RawRow>,
    /// Column number (0-based) of the first column in the file (XLSX tables may start
    /// right of column A); messages count columns from 1 in the file.
    pub first_column: u32,
    /// (line, column index) of the spreadsheet cells formatted as dates: read as text
    /// they are Excel serial numbers, so [`RawTable::number`] refuses them (a year typed
    /// into a date-formatted cell still reads as its year).
    pub date_cells: Vec<(u64, usize)>,
    /// What was set aside while reading (trailing note rows), as warnings.
    pub warnings: Vec<crate::error::Diagnostic>,
}

impl RawTable {
    /// Index of the column whose header is exactly `name` (after trimming).
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// Where a cell is: file, line and `column N (header)`, N counted from 1 in the file.
    pub fn location(&self, row: &RawRow, col: usize) -> Location {
        let name = self.headers.get(col).map(String::as_str).unwrap_or("?");
        Location::at(&self.label, row.line)
            .with_column(format!("{} ({name})", self.column_number(col)))
    }

    /// 1-based column number in the file.
    pub fn column_number(&self, col: usize) -> u64 {
        u64::from(self.first_column) + col as u64 + 1
    }

    /// Where a header cell is.
    pub fn header_location(&self, col: usize) -> Location {
        let name = self.headers.get(col).map(String::as_str).unwrap_or("?");
        Location::at(&self.label, self.header_line)
            .with_column(format!("{} ({name})", self.column_number(col)))
    }

    /// An [`Error::Input`] at cell `col` of `row` (see [`RawTable::location`]).
    pub fn error(&self, row: &RawRow, col: usize, message: impl Into<crate::model::Text>) -> Error {
        Error::input(self.location(row, col), message)
    }

    /// A finite number; empty cells are `None`. Accepts a trailing `%` (or full-width
    /// `％`), full-width digits, and thousands separators (`12,345`).
    pub fn number(&self, row: &RawRow, col: usize) -> Result<Option<f64>> {
        let s = row.text(col);
        if s.is_empty() {
            return Ok(None);
        }
        if self.date_cells.contains(&(row.line, col)) {
            return Err(self.error(
                row,
                col,
                text!(
"应为数值，却是日期格式的单元格（存储的序列号为 {s}）；请在 Excel/WPS 中把单元格格式设为数值，再重新输入",
"expected a number, found a date-formatted cell (stored as the serial number {s}); format the cell as a number in Excel/WPS and type the value again"
                ),
            ));
        }
        match parse_number(s) {
            Some(v) if v.is_finite() => Ok(Some(v)),
            Some(_) => Err(self.error(
                row,
                col,
                text!(
"应为有限数值，实际为 {}；数值未知时请留空",
"expected a finite number, found {}; leave the cell empty when the value is unknown", crate::output::safety::echo(s)),
            )),
            None => Err(self.error(
                row,
                col,
                text!(
"应为数值，如 9.8 或 9.8%，实际为 {}",
"expected a number such as 9.8 or 9.8%, found {}", crate::output::safety::echo(s)),
            )),
        }
    }

    /// A calendar year between 1900 and 2100 (`2022`, `2022年`, `2022.0`).
    pub fn year(&self, row: &RawRow, col: usize) -> Result<i32> {
        let s = row.text(col);
        let t = normalize_width(s);
        let t = t.trim().strip_suffix('年').unwrap_or(t.trim()).trim();
        let y = t
            .parse::<i32>()
            .ok()
            .or_else(|| {
                t.parse::<f64>()
                    .ok()
                    .filter(|v| v.fract() == 0.0 && v.abs() < 1e6)
                    .map(|v| v as i32)
            })
            .filter(|y| (1900..=2100).contains(y));
        y.ok_or_else(|| {
            let found = if s.is_empty() {
                "an empty cell".to_string()
            } else {
                crate::output::safety::echo(s)
            };
            self.error(
                row,
                col,
                text!(
                    "应为年份，如 2022，实际为 {found}",
                    "expected a year such as 2022, found {found}"
                ),
            )
        })
    }
}

pub(super) fn clean_header(h: &str) -> String {
    h.trim().trim_start_matches('\u{feff}').trim().to_string()
}

pub(super) fn empty_file(label: &str) -> Error {
    Error::input(
        Location::at(label, 1),
        text!(
            "文件为空：应先有一行列名表头，再有数据行",
            "the file is empty: expected a header row naming the columns, then data rows"
        ),
    )
}
