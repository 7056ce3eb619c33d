//! One writer per output format (hyperfine's exporters): CSV, JSON, Markdown, XLSX and the
//! terminal view each implement [`TableWriter`] over the same [`Table`], in their own
//! file; [`Table::render`] picks the writer of a [`Format`].

mod csv;
mod json;
mod markdown;
mod terminal;
mod xlsx;

pub use self::csv::Csv;
pub use self::json::Json;
pub use self::markdown::Markdown;
pub use self::terminal::{TerminalView, MAX_TERMINAL_ROWS};
pub use self::xlsx::{workbook_xlsx, Xlsx};

use crate::error::Result;
use crate::output::format::Format;
use crate::output::table::{Table, TableWriter};
use crate::output::termtable::terminal_width;

/// The writer of `format` (the terminal view fits [`terminal_width`]).
pub fn writer(format: Format) -> Box<dyn TableWriter> {
    match format {
        Format::Table => Box::new(TerminalView {
            width: terminal_width(),
        }),
        Format::Csv => Box::new(Csv),
        Format::Json => Box::new(Json),
        Format::Xlsx => Box::new(Xlsx),
        Format::Markdown => Box::new(Markdown),
    }
}

impl Table {
    /// The table in a format. Only XLSX can fail (a workbook over Excel's limits).
    pub fn render(&self, format: Format) -> Result<Vec<u8>> {
        writer(format).write(self)
    }
}
