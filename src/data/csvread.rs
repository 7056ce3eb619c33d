//! A small CSV table reader: headers mapped through one alias table (English or Chinese),
//! typed cell access, and errors that name the file, line and column.

use std::collections::HashMap;

use crate::data::Input;
use crate::error::{Error, Location, Result};

/// Which table a header row belongs to (the alias `代码` means `id` in a registry but
/// `jurisdiction` in observations).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderKind {
    Jurisdictions,
    Observations,
}

/// The one alias table: maps a header (trimmed, case-insensitive) to its canonical name.
///
/// | canonical | accepted |
/// |---|---|
/// | jurisdiction | 地区, 地区代码, 行政区划代码, 区划代码, 代码, 单位 |
/// | indicator | 指标, 指标代码 |
/// | year | 年份, 年度, 年 |
/// | value | 比例, 数值, 值, value_pct |
/// | se | 标准误, 标准误差 |
/// | n | 样本量, 样本数 |
/// | source | 来源, 数据来源 |
/// | id (registry) | 代码, 编码, 行政区划代码, 区划代码 |
/// | name_zh | 名称, 中文名称, 中文名 |
/// | name_en | 英文名称, 英文名 |
/// | level | 级别, 层级 |
/// | parent | 上级, 上级代码 |
pub fn canonical_header(raw: &str, kind: HeaderKind) -> String {
    let h = raw.trim().trim_start_matches('\u{feff}').trim();
    let lower = h.to_lowercase();
    let common = match lower.as_str() {
        "指标" | "指标代码" => Some("indicator"),
        "年份" | "年度" | "年" => Some("year"),
        "比例" | "数值" | "值" | "value_pct" => Some("value"),
        "标准误" | "标准误差" => Some("se"),
        "样本量" | "样本数" => Some("n"),
        "来源" | "数据来源" => Some("source"),
        "名称" | "中文名称" | "中文名" => Some("name_zh"),
        "英文名称" | "英文名" => Some("name_en"),
        "级别" | "层级" => Some("level"),
        "上级" | "上级代码" => Some("parent"),
        _ => None,
    };
    if let Some(c) = common {
        return c.to_string();
    }
    let specific = match (kind, lower.as_str()) {
        (
            HeaderKind::Observations,
            "地区" | "地区代码" | "行政区划代码" | "区划代码" | "代码" | "单位",
        ) => Some("jurisdiction"),
        (HeaderKind::Jurisdictions, "代码" | "编码" | "行政区划代码" | "区划代码") => {
            Some("id")
        }
        _ => None,
    };
    specific.map(str::to_string).unwrap_or(lower)
}

pub(crate) struct Row {
    pub line: u64,
    pub cells: Vec<String>,
}

impl Row {
    pub fn text(&self, col: usize) -> &str {
        self.cells.get(col).map(|s| s.trim()).unwrap_or("")
    }
}

pub(crate) struct Table {
    pub label: String,
    pub headers: Vec<String>,
    index: HashMap<String, usize>,
    pub rows: Vec<Row>,
}

impl Table {
    pub fn parse(input: &Input, kind: HeaderKind) -> Result<Table> {
        let text = input.text.trim_start_matches('\u{feff}');
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_reader(text.as_bytes());
        let headers: Vec<String> = rdr
            .headers()
            .map_err(|e| csv_error(&input.label, e))?
            .iter()
            .map(|h| canonical_header(h, kind))
            .collect();
        if headers.iter().all(|h| h.is_empty()) {
            return Err(Error::input(
                Location::at(&input.label, 1),
                "the file is empty: expected a header row",
            ));
        }
        let mut index = HashMap::new();
        for (i, h) in headers.iter().enumerate() {
            if index.insert(h.clone(), i).is_some() {
                return Err(Error::input(
                    Location::at(&input.label, 1).with_column(format!("{} ({h})", i + 1)),
                    format!("column {h:?} appears twice in the header"),
                ));
            }
        }
        let mut rows = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| csv_error(&input.label, e))?;
            let line = rec.position().map(|p| p.line()).unwrap_or(0);
            if rec.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            rows.push(Row {
                line,
                cells: rec.iter().map(str::to_string).collect(),
            });
        }
        Ok(Table {
            label: input.label.clone(),
            headers,
            index,
            rows,
        })
    }

    pub fn optional(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    pub fn require(&self, name: &str) -> Result<usize> {
        self.optional(name).ok_or_else(|| {
            Error::input(
                Location::at(&self.label, 1),
                format!(
                    "missing required column {name:?}; found columns: {}",
                    self.headers.join(", ")
                ),
            )
        })
    }

    pub fn location(&self, row: &Row, col: usize) -> Location {
        let name = self.headers.get(col).map(String::as_str).unwrap_or("?");
        Location::at(&self.label, row.line).with_column(format!("{} ({name})", col + 1))
    }

    pub fn error(&self, row: &Row, col: usize, message: impl Into<String>) -> Error {
        Error::input(self.location(row, col), message)
    }

    /// A finite number; empty cells are `None`; a trailing `%` is accepted.
    pub fn number(&self, row: &Row, col: usize) -> Result<Option<f64>> {
        let s = row.text(col);
        if s.is_empty() {
            return Ok(None);
        }
        let t = s.strip_suffix('%').unwrap_or(s).trim();
        match t.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(Some(v)),
            _ => Err(self.error(row, col, format!("expected a number, found {s:?}"))),
        }
    }

    /// A calendar year between 1900 and 2100.
    pub fn year(&self, row: &Row, col: usize) -> Result<i32> {
        let s = row.text(col);
        let t = s.strip_suffix('年').unwrap_or(s);
        match t.parse::<i32>() {
            Ok(y) if (1900..=2100).contains(&y) => Ok(y),
            _ => Err(self.error(
                row,
                col,
                format!("expected a year such as 2022, found {s:?}"),
            )),
        }
    }
}

fn csv_error(label: &str, e: csv::Error) -> Error {
    let line = e.position().map(|p| p.line());
    Error::input(
        Location {
            file: label.to_string(),
            line,
            column: None,
        },
        format!("malformed CSV: {e}"),
    )
}
