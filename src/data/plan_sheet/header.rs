//! A plan sheet's header mapped to its columns (a column given twice or a required one
//! missing is refused), and the cells of a row read by column key.

use std::collections::HashMap;

use super::columns::{canonical, header_zh, COLUMNS, REQUIRED};
use crate::data::table::{RawRow, RawTable};
use crate::error::{Error, Location, Problems, Result};

/// A plan sheet whose header was mapped: the column of each canonical key.
pub(super) struct Cells<'a> {
    pub(super) raw: &'a RawTable,
    col: HashMap<&'static str, usize>,
}

impl<'a> Cells<'a> {
    /// Maps the header of `raw`; every duplicate and missing column is reported at once.
    pub(super) fn new(raw: &'a RawTable) -> Result<Self> {
        let mut problems = Problems::default();
        let keys: Vec<Option<&'static str>> = raw.headers.iter().map(|h| canonical(h)).collect();
        let mut col: HashMap<&'static str, usize> = HashMap::new();
        for (i, k) in keys.iter().enumerate() {
            let Some(k) = k else { continue };
            if col.insert(k, i).is_some() {
                problems.push(Error::input(
                    raw.header_location(i),
                    text!(
                        "列 {} 在表头中出现了两次；请只保留一列",
                        "column {} appears twice in the header; keep one",
                        header_zh(k)
                    ),
                ));
            }
        }
        for k in REQUIRED {
            if !col.contains_key(k) {
                problems.push(Error::input(
                    Location::at(&raw.label, raw.header_line),
                    text!(
"缺少必需的列 {}（{k}）；方案表的列为 {}（用 `litmon plans --template -o 方案.xlsx` 可写出空表）",
"missing required column {} ({k}); a plan sheet has the columns {} (write `litmon plans --template -o 方案.xlsx` for an empty one)",
                        header_zh(k),
                        COLUMNS.map(|c| c.0).join(", ")
                    ),
                ));
            }
        }
        problems.into_result()?;
        Ok(Cells { raw, col })
    }

    /// The column of a key, if the sheet has it.
    pub(super) fn column(&self, k: &str) -> Option<usize> {
        self.col.get(k).copied()
    }

    /// The text of a row's cell (empty without the column).
    pub(super) fn text(&self, row: &RawRow, k: &str) -> String {
        self.column(k)
            .map_or(String::new(), |i| row.text(i).to_string())
    }

    /// The text of a row's cell, `None` when empty.
    pub(super) fn opt(&self, row: &RawRow, k: &str) -> Option<String> {
        Some(self.text(row, k)).filter(|s| !s.is_empty())
    }

    /// Where a row's cell is (the first column without the column).
    pub(super) fn location(&self, row: &RawRow, k: &str) -> Location {
        self.raw.location(row, self.column(k).unwrap_or(0))
    }

    /// A row's cell read as a year.
    pub(super) fn year(&self, row: &RawRow, k: &str) -> Result<i32> {
        self.raw.year(row, self.column(k).unwrap_or(0))
    }

    /// A row's cell read as a number (`None` when empty).
    pub(super) fn number(&self, row: &RawRow, k: &str) -> Result<Option<f64>> {
        self.raw.number(row, self.column(k).unwrap_or(0))
    }
}
