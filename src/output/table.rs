//! An output table: its columns, each described once ([`Column`]: name, unit, place in the
//! terminal view), its rows of [`Cell`]s, and the one signature every format's writer
//! implements ([`TableWriter`]).

use crate::error::Result;
use crate::model::Lang;
use crate::output::cell::Cell;
use crate::output::termtable::{header, word, Words};

/// What a column's numbers are, which sets their number format in XLSX and their decimals
/// in the terminal view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unit {
    /// Plain numbers.
    #[default]
    Plain,
    /// Values in percent (9.8 = 9.8 %): `0.00"%"` in XLSX (a percent sign without scaling),
    /// two decimals in the terminal.
    Percent,
    /// Shares or probabilities in 0–1: Excel's own percent format `0.0%` in XLSX.
    Share,
}

/// Where a column appears in the terminal view (files receive every column but
/// [`InTerminal::Only`] ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InTerminal {
    /// Shown.
    #[default]
    Shown,
    /// Shown, but left out when the view is wider than the terminal: the lowest rank first
    /// ([`crate::output::termtable::terminal_width`]).
    Droppable(u8),
    /// Not shown (CSV, JSON, XLSX and Markdown keep it).
    Hidden,
    /// Shown in the terminal view only (e.g. `project`'s names): CSV, JSON, XLSX and
    /// Markdown leave it out, so their columns stay as the contract lists them.
    Only,
}

/// A column of an output table, described once for every format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The contract's name (the CSV header and JSON key).
    pub name: &'static str,
    /// What its numbers are.
    pub unit: Unit,
    /// Where it appears in the terminal view.
    pub terminal: InTerminal,
}

impl Column {
    /// A column of plain numbers or text, shown everywhere.
    pub fn new(name: &'static str) -> Column {
        Column {
            name,
            unit: Unit::Plain,
            terminal: InTerminal::Shown,
        }
    }
}

/// An output table: columns and rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The columns, in output order.
    pub columns: Vec<Column>,
    /// Rows, each with one cell per column.
    pub rows: Vec<Vec<Cell>>,
    /// Lines printed under the terminal view (e.g. each row's reason).
    pub terminal_notes: Vec<String>,
    /// Sheet name in XLSX (default `table`).
    pub sheet_name: String,
    /// Language of the terminal view's headers and status words.
    pub lang: Lang,
    /// Vocabulary of the `status` column in the terminal view.
    pub words: Words,
}

impl Default for Table {
    fn default() -> Self {
        Table::new(Vec::new())
    }
}

/// One output format's writer (hyperfine's exporters): the table's bytes in that format.
/// Every writer receives the same [`Table`] and reads its [`Column`]s.
pub trait TableWriter {
    /// The table in this format. Only XLSX can fail (a workbook over Excel's limits).
    fn write(&self, table: &Table) -> Result<Vec<u8>>;
}

impl Table {
    /// An empty table with these columns (plain, shown everywhere) and every option at its
    /// default.
    pub fn new(columns: Vec<&'static str>) -> Self {
        Table {
            columns: columns.into_iter().map(Column::new).collect(),
            rows: Vec::new(),
            terminal_notes: Vec::new(),
            sheet_name: String::new(),
            lang: Lang::Zh,
            words: Words::Assessment,
        }
    }

    /// The column names, in output order.
    pub fn column_names(&self) -> Vec<&'static str> {
        self.columns.iter().map(|c| c.name).collect()
    }

    /// The names of the columns of `unit`, in output order.
    pub fn columns_in(&self, unit: Unit) -> Vec<&'static str> {
        self.columns
            .iter()
            .filter(|c| c.unit == unit)
            .map(|c| c.name)
            .collect()
    }

    /// The table without its terminal-only columns (what files receive).
    pub(crate) fn for_files(&self) -> std::borrow::Cow<'_, Table> {
        if self.columns.iter().all(|c| c.terminal != InTerminal::Only) {
            return std::borrow::Cow::Borrowed(self);
        }
        let keep: Vec<usize> = (0..self.columns.len())
            .filter(|&i| self.columns[i].terminal != InTerminal::Only)
            .collect();
        let mut t = self.clone();
        t.columns = keep.iter().map(|&i| self.columns[i]).collect();
        t.rows = self
            .rows
            .iter()
            .map(|r| keep.iter().filter_map(|&i| r.get(i).cloned()).collect())
            .collect();
        std::borrow::Cow::Owned(t)
    }

    /// Keeps the rows whose `jurisdiction` cell passes `keep` (a table without that column
    /// is left as it is).
    pub fn retain_jurisdictions(&mut self, keep: impl Fn(&str) -> bool) {
        if let Some(c) = self.columns.iter().position(|c| c.name == "jurisdiction") {
            self.rows.retain(|r| match r.get(c) {
                Some(Cell::Text(id)) => keep(id),
                _ => false,
            });
        }
    }

    /// The named columns (of those present), each changed by `f`.
    fn each_named(&mut self, names: &[&str], mut f: impl FnMut(usize, &mut Column)) {
        for (k, name) in names.iter().enumerate() {
            if let Some(c) = self.columns.iter_mut().find(|c| c.name == *name) {
                f(k, c);
            }
        }
    }

    /// Marks the columns (of those present) whose values are in percent (9.8 = 9.8 %).
    pub fn mark_percent(&mut self, columns: &[&'static str]) -> &mut Self {
        self.each_named(columns, |_, c| c.unit = Unit::Percent);
        self
    }

    /// Marks the columns (of those present) whose values are shares in 0–1 (a column
    /// already in percent stays in percent).
    pub fn mark_share(&mut self, columns: &[&'static str]) -> &mut Self {
        self.each_named(columns, |_, c| {
            if c.unit == Unit::Plain {
                c.unit = Unit::Share;
            }
        });
        self
    }

    /// Shows only these columns (of those present) in the terminal view; the others are
    /// [`InTerminal::Hidden`].
    pub fn show_in_terminal(&mut self, columns: &[&str]) -> &mut Self {
        for c in &mut self.columns {
            if !columns.contains(&c.name) && c.terminal != InTerminal::Only {
                c.terminal = InTerminal::Hidden;
            }
        }
        self
    }

    /// The shown columns left out of the terminal view, in this order, when it is wider
    /// than the terminal ([`InTerminal::Droppable`]).
    pub fn drop_in_terminal(&mut self, columns: &[&str]) -> &mut Self {
        self.each_named(columns, |k, c| {
            if c.terminal == InTerminal::Shown {
                c.terminal = InTerminal::Droppable(u8::try_from(k).unwrap_or(u8::MAX));
            }
        });
        self
    }

    /// These columns appear in the terminal view only ([`InTerminal::Only`]).
    pub fn terminal_only(&mut self, columns: &[&str]) -> &mut Self {
        self.each_named(columns, |_, c| c.terminal = InTerminal::Only);
        self
    }

    /// Inserts column `name` at `index` with one cell per row, in row order (rows without a
    /// cell get an empty one). It is shown in the terminal view unless the table lists the
    /// columns it shows there ([`Table::show_in_terminal`]).
    pub fn insert_column(
        &mut self,
        index: usize,
        name: &'static str,
        cells: impl IntoIterator<Item = Cell>,
    ) {
        let index = index.min(self.columns.len());
        let mut column = Column::new(name);
        if self
            .columns
            .iter()
            .any(|c| c.terminal == InTerminal::Hidden)
        {
            column.terminal = InTerminal::Hidden;
        }
        self.columns.insert(index, column);
        let mut cells = cells.into_iter();
        for row in &mut self.rows {
            let at = index.min(row.len());
            row.insert(at, cells.next().unwrap_or(Cell::Empty));
        }
    }

    /// The header of `column` in a table people read (XLSX, Markdown): Chinese under
    /// [`Lang::Zh`], the contract's name under English.
    pub fn header_for_people<'a>(&self, column: &'a str) -> &'a str {
        match self.lang {
            Lang::Zh => header(column, self.lang),
            Lang::En => column,
        }
    }

    /// A text cell of `column` in a table people read: the status, category, kind, level
    /// or indicator word in Chinese under [`Lang::Zh`]; as written under English (the ids
    /// of the contract).
    pub fn word_for_people<'a>(&self, column: &str, text: &'a str) -> &'a str {
        match self.lang {
            Lang::Zh => word(column, text, self.words, self.lang).unwrap_or(text),
            Lang::En => text,
        }
    }
}
