//! Tables and their formats (terminal table, CSV, JSON, XLSX), and atomic file writes.
//!
//! Every table command builds a [`Table`] (ordered columns, typed cells); each format is
//! one function over it, so adding a format never touches the commands.
//!
//! XLSX keeps the CSV's numbers as numbers (9.8 stays 9.8, never text): columns marked with
//! [`Table::mark_percent`] (values in percent, 9.8 = 9.8 %) are displayed `9.80%` through the
//! number format `0.00"%"`, which shows a percent sign without scaling the value; columns
//! marked with [`Table::mark_share`] (probabilities and shares in 0–1) use Excel's own
//! percent format `0.0%`. The workbook's creation date is fixed, so identical tables give
//! byte-identical files.

pub mod record;
pub mod safety;
pub mod tables;
pub mod term;
pub mod termtable;
pub mod warnings;

use std::path::Path;

use crate::error::{Error, Result};
use crate::model::format::{shortest, significant_15};

/// A cell of an output table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text (formula-guarded in CSV, control characters replaced in the terminal).
    Text(String),
    /// An integer (years, counts).
    Int(i64),
    /// A number, written in CSV and JSON rounded to 15 significant digits and then in the
    /// shortest form that reads back as that value ([`significant_15`], [`shortest`]).
    Num(f64),
    /// A missing value: an empty cell.
    Empty,
}

impl Cell {
    /// A number cell, or [`Cell::Empty`] for `None` or a non-finite value.
    pub fn opt_num(v: Option<f64>) -> Cell {
        match v {
            Some(x) if x.is_finite() => Cell::Num(x),
            _ => Cell::Empty,
        }
    }

    /// An integer cell (e.g. a year), or [`Cell::Empty`] for `None`.
    pub fn opt_int(v: Option<i32>) -> Cell {
        v.map(|x| Cell::Int(x.into())).unwrap_or(Cell::Empty)
    }

    /// A text cell, or [`Cell::Empty`] for empty text.
    pub fn text(s: impl Into<String>) -> Cell {
        let s = s.into();
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s)
        }
    }

    /// Text for CSV: numbers to 15 significant digits, as R's `write.csv` writes them
    /// ([`significant_15`]); text guarded against formula injection ([`guard_formula`]).
    pub fn csv_text(&self) -> String {
        match self {
            Cell::Text(s) => guard_formula(s),
            Cell::Int(i) => i.to_string(),
            Cell::Num(x) => shortest(significant_15(*x)),
            Cell::Empty => String::new(),
        }
    }

    fn display(&self, decimals: usize) -> String {
        match self {
            Cell::Num(x) => format!("{x:.decimals$}"),
            Cell::Text(s) => terminal_safe(s),
            other => other.csv_text(),
        }
    }
}

/// True for text that a spreadsheet would run as a formula: it starts with `=`, `+`,
/// `-`, `@`, a tab or a carriage return (OWASP, "CSV Injection").
pub fn looks_like_formula(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A text cell for CSV output: formula-like text gets a leading single quote, as OWASP
/// recommends, so Excel and WPS show `=HYPERLINK(…)` instead of running it. Numbers are
/// [`Cell::Num`] and never pass here; litmon's own readers drop the quote again (text
/// that starts with a quote gets one more, so every text reads back as written).
///
/// ```
/// use litmon::output::guard_formula;
/// assert_eq!(guard_formula("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
/// assert_eq!(guard_formula("-"), "'-");
/// assert_eq!(guard_formula("乌海"), "乌海");
/// ```
pub fn guard_formula(s: &str) -> String {
    // Text that already starts with a quote gets one more, so reading drops exactly one.
    if looks_like_formula(s) || s.starts_with('\'') {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// Text for the terminal: control characters (escape sequences) shown as U+FFFD.
fn terminal_safe(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect()
}

/// An output table: column names and rows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// Column names, in output order.
    pub columns: Vec<&'static str>,
    /// Rows, each with one cell per column.
    pub rows: Vec<Vec<Cell>>,
    /// Columns shown by the terminal view (all when empty); CSV and JSON keep every column.
    pub terminal_columns: Vec<&'static str>,
    /// Lines printed under the terminal view (e.g. each row's reason).
    pub terminal_notes: Vec<String>,
    /// Columns holding values in percent (9.8 = 9.8 %), shown with a % sign in XLSX.
    pub percent_columns: Vec<&'static str>,
    /// Columns holding shares or probabilities in 0–1, in Excel's percent format in XLSX.
    pub share_columns: Vec<&'static str>,
    /// Sheet name in XLSX (default `table`).
    pub sheet_name: String,
    /// Terminal columns left out first, in this order, when the view is wider than the
    /// terminal ([`crate::output::termtable::terminal_width`]).
    pub terminal_drop: Vec<&'static str>,
    /// Columns shown only in the terminal view (e.g. `project`'s names): CSV, JSON, XLSX
    /// and Markdown leave them out, so their columns stay as the contract lists them.
    pub terminal_only: Vec<&'static str>,
    /// Language of the terminal view's headers and status words.
    pub lang: crate::model::Lang,
    /// Vocabulary of the `status` column in the terminal view.
    pub words: crate::output::termtable::Words,
}

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

impl Table {
    /// An empty table with these columns and every option at its default.
    pub fn new(columns: Vec<&'static str>) -> Self {
        Table {
            columns,
            rows: Vec::new(),
            terminal_columns: Vec::new(),
            terminal_notes: Vec::new(),
            percent_columns: Vec::new(),
            share_columns: Vec::new(),
            sheet_name: String::new(),
            terminal_drop: Vec::new(),
            terminal_only: Vec::new(),
            lang: crate::model::Lang::Zh,
            words: crate::output::termtable::Words::Assessment,
        }
    }

    /// The table without its terminal-only columns (what files receive).
    fn for_files(&self) -> std::borrow::Cow<'_, Table> {
        if self.terminal_only.is_empty() {
            return std::borrow::Cow::Borrowed(self);
        }
        let keep: Vec<usize> = (0..self.columns.len())
            .filter(|&i| !self.terminal_only.contains(&self.columns[i]))
            .collect();
        let mut t = self.clone();
        t.columns = keep.iter().map(|&i| self.columns[i]).collect();
        t.rows = self
            .rows
            .iter()
            .map(|r| keep.iter().filter_map(|&i| r.get(i).cloned()).collect())
            .collect();
        t.terminal_only.clear();
        std::borrow::Cow::Owned(t)
    }

    /// Keeps the rows whose `jurisdiction` cell passes `keep` (a table without that column
    /// is left as it is).
    pub fn retain_jurisdictions(&mut self, keep: impl Fn(&str) -> bool) {
        if let Some(c) = self.columns.iter().position(|c| *c == "jurisdiction") {
            self.rows.retain(|r| match r.get(c) {
                Some(Cell::Text(id)) => keep(id),
                _ => false,
            });
        }
    }

    /// Marks the columns (of those present) whose values are in percent (9.8 = 9.8 %).
    pub fn mark_percent(&mut self, columns: &[&'static str]) -> &mut Self {
        for c in columns {
            if self.columns.contains(c) && !self.percent_columns.contains(c) {
                self.percent_columns.push(c);
            }
        }
        self
    }

    /// Marks the columns (of those present) whose values are shares in 0–1.
    pub fn mark_share(&mut self, columns: &[&'static str]) -> &mut Self {
        for c in columns {
            if self.columns.contains(c) && !self.share_columns.contains(c) {
                self.share_columns.push(c);
            }
        }
        self
    }

    /// The header of `column` in a table people read (XLSX, Markdown): Chinese under
    /// [`Lang::Zh`](crate::model::Lang::Zh), the contract's name under English.
    pub fn header_for_people<'a>(&self, column: &'a str) -> &'a str {
        match self.lang {
            crate::model::Lang::Zh => crate::output::termtable::header(column, self.lang),
            crate::model::Lang::En => column,
        }
    }

    /// A text cell of `column` in a table people read: the status, category, kind, level
    /// or indicator word in Chinese under [`Lang::Zh`](crate::model::Lang::Zh); as written
    /// under English (the ids of the contract).
    pub fn word_for_people<'a>(&self, column: &str, text: &'a str) -> &'a str {
        match self.lang {
            crate::model::Lang::Zh => {
                crate::output::termtable::word(column, text, self.words, self.lang).unwrap_or(text)
            }
            crate::model::Lang::En => text,
        }
    }

    /// The table in a format. Only XLSX can fail (a workbook over Excel's limits).
    pub fn render(&self, format: Format) -> Result<Vec<u8>> {
        Ok(match format {
            Format::Table => self.to_terminal().into_bytes(),
            Format::Csv => self.to_csv(),
            Format::Json => self.to_json().into_bytes(),
            Format::Xlsx => self.to_xlsx()?,
            Format::Markdown => self.to_markdown().into_bytes(),
        })
    }

    /// A workbook with this table on one sheet.
    pub fn to_xlsx(&self) -> Result<Vec<u8>> {
        workbook_xlsx(&[self])
    }

    /// CSV with every column but the terminal-only ones.
    pub fn to_csv(&self) -> Vec<u8> {
        self.for_files().csv_bytes()
    }

    fn csv_bytes(&self) -> Vec<u8> {
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

    /// A JSON array of objects with the CSV's field names in the CSV's column order;
    /// numbers stay numbers, empty cells are null. Laid out as `serde_json`'s pretty
    /// printer does (two-space indent).
    pub fn to_json(&self) -> String {
        self.for_files().json_text()
    }

    fn json_text(&self) -> String {
        if self.rows.is_empty() {
            return "[]\n".into();
        }
        let mut s = String::from("[\n");
        for (r, row) in self.rows.iter().enumerate() {
            s.push_str("  {\n");
            let fields: Vec<String> = self
                .columns
                .iter()
                .zip(row)
                .map(|(c, cell)| {
                    let v = match cell {
                        Cell::Text(t) => serde_json::Value::String(t.clone()),
                        Cell::Int(i) => serde_json::Value::from(*i),
                        Cell::Num(x) => serde_json::Number::from_f64(significant_15(*x))
                            .map(serde_json::Value::Number)
                            .unwrap_or(serde_json::Value::Null),
                        Cell::Empty => serde_json::Value::Null,
                    };
                    // Serialising a string or a plain value cannot fail.
                    let key = serde_json::to_string(c).unwrap_or_default();
                    let val = serde_json::to_string(&v).unwrap_or_else(|_| "null".into());
                    format!("    {key}: {val}")
                })
                .collect();
            s.push_str(&fields.join(",\n"));
            s.push_str(if r + 1 < self.rows.len() {
                "\n  },\n"
            } else {
                "\n  }\n"
            });
        }
        s.push_str("]\n");
        s
    }

    /// A Markdown table with every column (numbers as in CSV; `|` escaped).
    pub fn to_markdown(&self) -> String {
        self.for_files().markdown_text()
    }

    fn markdown_text(&self) -> String {
        let esc = |t: &str| {
            t.replace('\\', "\\\\")
                .replace('|', "\\|")
                .replace(['\n', '\r'], " ")
        };
        let mut s = String::new();
        s.push_str("| ");
        let headers: Vec<&str> = self
            .columns
            .iter()
            .map(|c| self.header_for_people(c))
            .collect();
        s.push_str(&headers.join(" | "));
        s.push_str(" |\n|");
        for _ in &self.columns {
            s.push_str(" --- |");
        }
        s.push('\n');
        for row in &self.rows {
            s.push_str("| ");
            let cells: Vec<String> = row
                .iter()
                .zip(&self.columns)
                .map(|(c, col)| match c {
                    Cell::Text(t) => esc(&terminal_safe(self.word_for_people(col, t))),
                    other => other.csv_text(),
                })
                .collect();
            s.push_str(&cells.join(" | "));
            s.push_str(" |\n");
        }
        s
    }

    /// A terminal table (widths measured in display columns, so Chinese text aligns) that
    /// fits [`crate::output::termtable::terminal_width`].
    pub fn to_terminal(&self) -> String {
        self.to_terminal_width(crate::output::termtable::terminal_width())
    }

    /// The terminal view within `width` display columns: the columns of
    /// [`Table::terminal_drop`] are left out, in order, until the table fits; a table still
    /// too wide has its cells wrapped. Headers and status words follow [`Table::lang`];
    /// notes are wrapped to the width.
    pub fn to_terminal_width(&self, width: usize) -> String {
        use crate::output::termtable::display_width;
        let mut shown: Vec<usize> = if self.terminal_columns.is_empty() {
            (0..self.columns.len()).collect()
        } else {
            self.terminal_columns
                .iter()
                .filter_map(|c| self.columns.iter().position(|x| x == c))
                .collect()
        };
        let mut droppable = self.terminal_drop.iter();
        let mut t = self.terminal_grid(&shown, None);
        while t.lines().map(display_width).max().unwrap_or(0) > width {
            let Some(next) = droppable.next() else {
                t = self.terminal_grid(&shown, Some(width));
                break;
            };
            shown.retain(|&i| self.columns[i] != *next);
            t = self.terminal_grid(&shown, None);
        }
        let mut s = t;
        s.push('\n');
        if self.rows.len() > MAX_TERMINAL_ROWS {
            let note = match self.lang {
                crate::model::Lang::Zh => format!(
                    "（仅显示前 {MAX_TERMINAL_ROWS} 行，共 {} 行；全部行请用 --format csv -o 文件）",
                    self.rows.len()
                ),
                crate::model::Lang::En => format!(
                    "(first {MAX_TERMINAL_ROWS} of {} rows shown; for every row use --format csv -o FILE)",
                    self.rows.len()
                ),
            };
            for line in crate::output::termtable::wrap(&note, width) {
                s.push_str(&line);
                s.push('\n');
            }
        }
        for note in &self.terminal_notes {
            for line in crate::output::termtable::wrap(&terminal_safe(note), width) {
                s.push_str(&line);
                s.push('\n');
            }
        }
        s
    }

    fn terminal_grid(&self, shown: &[usize], wrap_to: Option<usize>) -> String {
        use crate::output::termtable::{header, word};
        let mut t = comfy_table::Table::new();
        t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
        if let Some(w) = wrap_to {
            t.set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
            t.set_width(u16::try_from(w).unwrap_or(u16::MAX));
        }
        t.set_header(shown.iter().map(|&i| header(self.columns[i], self.lang)));
        // A column of whole numbers only (counts, weighted counts, degrees of freedom) is
        // printed without decimals: 50000, not 50000.000.
        let whole: Vec<bool> = (0..self.columns.len())
            .map(|i| {
                self.rows.iter().all(|r| match r.get(i) {
                    Some(Cell::Num(x)) => x.fract() == 0.0 && x.abs() < 1e15,
                    _ => true,
                })
            })
            .collect();
        for row in self.rows.iter().take(MAX_TERMINAL_ROWS) {
            t.add_row(shown.iter().filter_map(|&i| {
                let col = self.columns[i];
                let c = row.get(i)?;
                let decimals = if whole[i] {
                    0
                } else if self.percent_columns.contains(&col) {
                    2
                } else {
                    3
                };
                let text = match c {
                    Cell::Text(s) => word(col, s, self.words, self.lang)
                        .map(str::to_string)
                        .unwrap_or_else(|| c.display(decimals)),
                    _ => c.display(decimals),
                };
                let cell = comfy_table::Cell::new(text);
                Some(match c {
                    Cell::Num(_) | Cell::Int(_) => {
                        cell.set_alignment(comfy_table::CellAlignment::Right)
                    }
                    _ => cell,
                })
            }));
        }
        t.to_string()
    }
}

/// Most rows the terminal view shows (a note gives the total): a screen holds far fewer, and
/// a million rows would take gigabytes as one text; files receive every row.
pub const MAX_TERMINAL_ROWS: usize = 5_000;

/// Excel's longest cell text.
const XLSX_MAX_TEXT: usize = 32_767;
/// Excel's rows per sheet (the header takes one).
const XLSX_MAX_ROWS: usize = 1_048_575;

/// One workbook holding several tables, one sheet each (named by [`Table::sheet_name`],
/// else `table`, `table2`…; names are made unique and valid for Excel). Header row bold
/// and frozen; numbers stored as numbers.
pub fn workbook_xlsx(tables: &[&Table]) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format as XFormat, Workbook};
    let fail = |e: rust_xlsxwriter::XlsxError| xlsx_error(e.to_string());
    let mut book = Workbook::new();
    // A fixed creation date: identical inputs give byte-identical files.
    let created = ExcelDateTime::from_ymd(2021, 1, 1).map_err(fail)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let bold = XFormat::new().set_bold();
    let pct = XFormat::new().set_num_format("0.00\"%\"");
    let share = XFormat::new().set_num_format("0.0%");
    let mut used: Vec<String> = Vec::new();
    for table in tables {
        let table = table.for_files();
        if table.rows.len() > XLSX_MAX_ROWS {
            return Err(Error::SheetTooLong {
                rows: table.rows.len(),
                limit: XLSX_MAX_ROWS,
            });
        }
        let name = sheet_name(&table.sheet_name, &used);
        used.push(name.clone());
        let sheet = book.add_worksheet();
        sheet.set_name(&name).map_err(fail)?;
        // Headers and status words for people: Chinese under `--lang zh` (the terminal
        // view's words); CSV and JSON keep the contract's names and ids.
        for (c, col) in table.columns.iter().enumerate() {
            sheet
                .write_string_with_format(0, c as u16, table.header_for_people(col), &bold)
                .map_err(fail)?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            let r = (r + 1) as u32;
            for (c, (cell, col)) in row.iter().zip(&table.columns).enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(s) => {
                        let n = s.chars().count();
                        if n > XLSX_MAX_TEXT {
                            return Err(Error::usage(text!(
"XLSX：工作表 {name:?} 第 {} 行 {col} 列的文本有 {n} 个字符，超过 Excel 每个单元格 {XLSX_MAX_TEXT} 个字符的上限；请改写为 CSV 或 JSON（可保留全文）",
"XLSX: row {} of sheet {name:?}, column {col}: a text of {n} \
                                 characters, more than Excel's {XLSX_MAX_TEXT} per cell; write \
                                 CSV or JSON instead (they keep the whole text)",
                                r + 1
                            )));
                        }
                        sheet
                            .write_string(r, c, table.word_for_people(col, s))
                            .map_err(fail)?;
                    }
                    Cell::Int(i) => {
                        sheet.write_number(r, c, *i as f64).map_err(fail)?;
                    }
                    Cell::Num(x) if x.is_finite() => {
                        let x = significant_15(*x);
                        if table.percent_columns.contains(col) {
                            sheet.write_number_with_format(r, c, x, &pct)
                        } else if table.share_columns.contains(col) {
                            sheet.write_number_with_format(r, c, x, &share)
                        } else {
                            sheet.write_number(r, c, x)
                        }
                        .map_err(fail)?;
                    }
                    Cell::Num(_) | Cell::Empty => {}
                }
            }
        }
        sheet.set_freeze_panes(1, 0).map_err(fail)?;
        sheet.autofit();
    }
    if tables.is_empty() {
        book.add_worksheet();
    }
    book.save_to_buffer().map_err(fail)
}

/// A workbook that cannot be written (exit status 1: a runtime failure, not bad input).
fn xlsx_error(message: String) -> Error {
    Error::Io {
        path: "XLSX workbook".into(),
        source: std::io::Error::other(message),
    }
}

/// A valid, unique Excel sheet name: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(wanted: &str, used: &[String]) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(31)
        .collect();
    let clean = clean.trim_matches('\'').trim().to_string();
    let base = if clean.is_empty() {
        "table".to_string()
    } else {
        clean
    };
    let taken = |n: &str| used.iter().any(|u| u.to_lowercase() == n.to_lowercase());
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|i| {
            let suffix = i.to_string();
            let head: String = base.chars().take(31 - suffix.len()).collect();
            format!("{head}{suffix}")
        })
        .find(|n| !taken(n))
        .unwrap_or(base)
}

static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Notes whether standard output is open (`litmon assess >&-` closes it). Called first in
/// `main`, before any file takes the free descriptor 1.
///
/// Rust's runtime reopens a closed descriptor 1 on `/dev/null` before `main` (read-write,
/// where a shell's `> /dev/null` opens it write-only), so on Linux a descriptor 1 that is
/// `/dev/null` opened `O_RDWR` is taken as closed (`/proc/self/fdinfo/1`); elsewhere a
/// descriptor that cannot be duplicated is.
pub fn record_stdout_state() {
    #[cfg(target_os = "linux")]
    {
        let null = std::fs::read_link("/proc/self/fd/1")
            .is_ok_and(|t| t == std::path::Path::new("/dev/null"));
        let rdwr = null
            && std::fs::read_to_string("/proc/self/fdinfo/1").is_ok_and(|info| {
                info.lines()
                    .find_map(|l| l.strip_prefix("flags:"))
                    .and_then(|f| u32::from_str_radix(f.trim(), 8).ok())
                    .is_some_and(|f| f & 3 == 2)
            });
        STDOUT_CLOSED.store(rdwr, std::sync::atomic::Ordering::Relaxed);
    }
    #[cfg(all(unix, not(target_os = "linux")))]
    {
        use std::os::fd::AsFd;
        let closed = std::io::stdout().as_fd().try_clone_to_owned().is_err();
        STDOUT_CLOSED.store(closed, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Prints `bytes` on standard output. A reader that went away (a broken pipe, `| head`) is
/// not an error; a closed standard output is (exit status 2: nothing would be shown), as is
/// any other write failure.
pub fn write_stdout(bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    if STDOUT_CLOSED.load(std::sync::atomic::Ordering::Relaxed) {
        return Err(Error::usage(text!(
            "标准输出已关闭，无法打印结果；请给出 -o FILE，或保持标准输出打开",
            "standard output is closed, so the result cannot be printed; give -o FILE or \
             leave standard output open"
        )));
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.map_err(|source| Error::Io {
            path: "<stdout>".into(),
            source,
        }),
    }
}

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, then a
/// rename, so a failure never leaves a half-written file (character devices and FIFOs are
/// written in place; see [`crate::output::safety::write_file`]).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    crate::output::safety::write_file(path, bytes)
}
