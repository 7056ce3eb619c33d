//! Tables and their formats (terminal table, CSV, JSON), and atomic file writes.
//!
//! Every table command builds a [`Table`] (ordered columns, typed cells); each format is
//! one function over it, so adding a format never touches the commands.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

/// A cell of an output table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    Num(f64),
    Empty,
}

impl Cell {
    pub fn opt_num(v: Option<f64>) -> Cell {
        match v {
            Some(x) if x.is_finite() => Cell::Num(x),
            _ => Cell::Empty,
        }
    }

    pub fn opt_int(v: Option<i32>) -> Cell {
        v.map(|x| Cell::Int(x.into())).unwrap_or(Cell::Empty)
    }

    pub fn text(s: impl Into<String>) -> Cell {
        let s = s.into();
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s)
        }
    }

    /// Text for CSV: numbers rounded to 10 decimal places, then the shortest form
    /// (0.8599999999999999 is written 0.86), so output is exact to 1e-10 and stable.
    pub fn csv_text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(i) => i.to_string(),
            Cell::Num(x) => format_num(*x),
            Cell::Empty => String::new(),
        }
    }

    fn display(&self, decimals: usize) -> String {
        match self {
            Cell::Num(x) => format!("{x:.decimals$}"),
            other => other.csv_text(),
        }
    }
}

/// Shortest decimal form of `x` rounded to 10 decimal places.
pub fn format_num(x: f64) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let r = (x * 1e10).round() / 1e10;
    let r = if r == 0.0 { 0.0 } else { r };
    if (x * 1e10).abs() > 9e15 {
        return format!("{x}");
    }
    format!("{r}")
}

/// An output table: column names and rows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
    /// Columns shown by the terminal view (all when empty); CSV and JSON keep every column.
    pub terminal_columns: Vec<&'static str>,
    /// Lines printed under the terminal view (e.g. each row's reason).
    pub terminal_notes: Vec<String>,
}

/// Output formats of table commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Table,
    Csv,
    Json,
}

impl Table {
    pub fn new(columns: Vec<&'static str>) -> Self {
        Table {
            columns,
            rows: Vec::new(),
            terminal_columns: Vec::new(),
            terminal_notes: Vec::new(),
        }
    }

    pub fn render(&self, format: Format) -> Vec<u8> {
        match format {
            Format::Table => self.to_terminal().into_bytes(),
            Format::Csv => self.to_csv(),
            Format::Json => self.to_json().into_bytes(),
        }
    }

    pub fn to_csv(&self) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        // Writing to a Vec cannot fail.
        let _ = w.write_record(&self.columns);
        for row in &self.rows {
            let _ = w.write_record(row.iter().map(Cell::csv_text));
        }
        w.into_inner().unwrap_or_default()
    }

    /// A JSON array of objects with the CSV's field names; numbers stay numbers, empty
    /// cells are null.
    pub fn to_json(&self) -> String {
        let arr: Vec<serde_json::Value> = self
            .rows
            .iter()
            .map(|row| {
                let mut m = serde_json::Map::new();
                for (c, cell) in self.columns.iter().zip(row) {
                    let v = match cell {
                        Cell::Text(s) => serde_json::Value::String(s.clone()),
                        Cell::Int(i) => serde_json::Value::from(*i),
                        Cell::Num(x) => format_num(*x)
                            .parse::<f64>()
                            .ok()
                            .and_then(serde_json::Number::from_f64)
                            .map(serde_json::Value::Number)
                            .unwrap_or(serde_json::Value::Null),
                        Cell::Empty => serde_json::Value::Null,
                    };
                    m.insert((*c).to_string(), v);
                }
                serde_json::Value::Object(m)
            })
            .collect();
        let mut s = serde_json::to_string_pretty(&arr).unwrap_or_else(|_| "[]".into());
        s.push('\n');
        s
    }

    /// A terminal table (widths measured in display columns, so Chinese text aligns).
    pub fn to_terminal(&self) -> String {
        let mut t = comfy_table::Table::new();
        t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
        let shown: Vec<usize> = if self.terminal_columns.is_empty() {
            (0..self.columns.len()).collect()
        } else {
            self.terminal_columns
                .iter()
                .filter_map(|c| self.columns.iter().position(|x| x == c))
                .collect()
        };
        t.set_header(shown.iter().map(|&i| self.columns[i]));
        for row in &self.rows {
            t.add_row(shown.iter().filter_map(|&i| row.get(i)).map(|c| {
                let cell = comfy_table::Cell::new(c.display(3));
                match c {
                    Cell::Num(_) | Cell::Int(_) => {
                        cell.set_alignment(comfy_table::CellAlignment::Right)
                    }
                    _ => cell,
                }
            }));
        }
        let mut s = t.to_string();
        s.push('\n');
        for note in &self.terminal_notes {
            s.push_str(note);
            s.push('\n');
        }
        s
    }
}

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, then a
/// rename, so a failure never leaves a half-written file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let io = |source: std::io::Error| Error::Io {
        path: path.display().to_string(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.flush().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}
