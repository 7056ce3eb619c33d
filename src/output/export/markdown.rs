//! The Markdown writer: a GitHub table with every column but the terminal-only ones,
//! headers and status words for people ([`Table::header_for_people`]), numbers as in CSV,
//! `|` and `\` escaped.

use crate::error::Result;
use crate::output::cell::{terminal_safe, Cell};
use crate::output::table::{Table, TableWriter};

/// A Markdown (GitHub) table.
#[derive(Debug, Clone, Copy, Default)]
pub struct Markdown;

impl TableWriter for Markdown {
    fn write(&self, table: &Table) -> Result<Vec<u8>> {
        Ok(table.to_markdown().into_bytes())
    }
}

impl Table {
    /// A Markdown table with every column (numbers as in CSV; `|` escaped).
    pub fn to_markdown(&self) -> String {
        let table = self.for_files();
        let esc = |t: &str| {
            t.replace('\\', "\\\\")
                .replace('|', "\\|")
                .replace(['\n', '\r'], " ")
        };
        let mut s = String::new();
        s.push_str("| ");
        let headers: Vec<&str> = table
            .columns
            .iter()
            .map(|c| table.header_for_people(c.name))
            .collect();
        s.push_str(&headers.join(" | "));
        s.push_str(" |\n|");
        for _ in &table.columns {
            s.push_str(" --- |");
        }
        s.push('\n');
        for row in &table.rows {
            s.push_str("| ");
            let cells: Vec<String> = row
                .iter()
                .zip(&table.columns)
                .map(|(c, col)| match c {
                    Cell::Text(t) => esc(&terminal_safe(table.word_for_people(col.name, t))),
                    other => other.csv_text(),
                })
                .collect();
            s.push_str(&cells.join(" | "));
            s.push_str(" |\n");
        }
        s
    }
}
