//! The CSV writer: the contract's column names, then one record per row (numbers to 15
//! significant digits, text guarded against formula injection: [`Cell::csv_text`]).

use crate::error::Result;
use crate::output::cell::Cell;
use crate::output::table::{Table, TableWriter};

/// CSV with every column but the terminal-only ones, `\n` line ends.
#[derive(Debug, Clone, Copy, Default)]
pub struct Csv;

impl TableWriter for Csv {
    fn write(&self, table: &Table) -> Result<Vec<u8>> {
        Ok(table.to_csv())
    }
}

impl Table {
    /// CSV with every column but the terminal-only ones.
    pub fn to_csv(&self) -> Vec<u8> {
        let table = self.for_files();
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        // Writing to a Vec cannot fail.
        let _ = w.write_record(table.columns.iter().map(|c| c.name));
        for row in &table.rows {
            let _ = w.write_record(row.iter().map(Cell::csv_text));
        }
        w.into_inner().unwrap_or_default()
    }
}
