//! The terminal view writer: a table drawn with box characters (widths in display columns,
//! so Chinese text aligns) that fits the terminal — droppable columns left out first, then
//! cells wrapped — with headers and status words in the table's language and its notes
//! wrapped beneath.

use crate::error::Result;
use crate::model::Lang;
use crate::output::cell::{terminal_safe, Cell};
use crate::output::table::{InTerminal, Table, TableWriter, Unit};
use crate::output::termtable::{display_width, header, terminal_width, word, wrap};

/// Most rows the terminal view shows (a note gives the total): a screen holds far fewer, and
/// a million rows would take gigabytes as one text; files receive every row.
pub const MAX_TERMINAL_ROWS: usize = 5_000;

/// The terminal view within `width` display columns.
#[derive(Debug, Clone, Copy)]
pub struct TerminalView {
    /// Display columns to fit.
    pub width: usize,
}

impl TableWriter for TerminalView {
    fn write(&self, table: &Table) -> Result<Vec<u8>> {
        Ok(table.to_terminal_width(self.width).into_bytes())
    }
}

impl Table {
    /// A terminal table (widths measured in display columns, so Chinese text aligns) that
    /// fits [`terminal_width`].
    pub fn to_terminal(&self) -> String {
        self.to_terminal_width(terminal_width())
    }

    /// The terminal view within `width` display columns: the [`InTerminal::Droppable`]
    /// columns are left out, lowest rank first, until the table fits; a table still too
    /// wide has its cells wrapped. Headers and status words follow [`Table::lang`]; notes
    /// are wrapped to the width.
    pub fn to_terminal_width(&self, width: usize) -> String {
        let mut shown: Vec<usize> = (0..self.columns.len())
            .filter(|&i| self.columns[i].terminal != InTerminal::Hidden)
            .collect();
        let mut droppable: Vec<(u8, usize)> = (0..self.columns.len())
            .filter_map(|i| match self.columns[i].terminal {
                InTerminal::Droppable(rank) => Some((rank, i)),
                _ => None,
            })
            .collect();
        droppable.sort();
        let mut droppable = droppable.into_iter();
        let mut t = self.terminal_grid(&shown, None);
        while t.lines().map(display_width).max().unwrap_or(0) > width {
            let Some((_, next)) = droppable.next() else {
                t = self.terminal_grid(&shown, Some(width));
                break;
            };
            shown.retain(|&i| i != next);
            t = self.terminal_grid(&shown, None);
        }
        let mut s = t;
        s.push('\n');
        if self.rows.len() > MAX_TERMINAL_ROWS {
            let note = match self.lang {
                Lang::Zh => format!(
                    "（仅显示前 {MAX_TERMINAL_ROWS} 行，共 {} 行；全部行请用 --format csv -o 文件）",
                    self.rows.len()
                ),
                Lang::En => format!(
                    "(first {MAX_TERMINAL_ROWS} of {} rows shown; for every row use --format csv -o FILE)",
                    self.rows.len()
                ),
            };
            for line in wrap(&note, width) {
                s.push_str(&line);
                s.push('\n');
            }
        }
        for note in &self.terminal_notes {
            for line in wrap(&terminal_safe(note), width) {
                s.push_str(&line);
                s.push('\n');
            }
        }
        s
    }

    fn terminal_grid(&self, shown: &[usize], wrap_to: Option<usize>) -> String {
        let mut t = comfy_table::Table::new();
        t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
        if let Some(w) = wrap_to {
            t.set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
            t.set_width(u16::try_from(w).unwrap_or(u16::MAX));
        }
        t.set_header(
            shown
                .iter()
                .map(|&i| header(self.columns[i].name, self.lang)),
        );
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
                } else if col.unit == Unit::Percent {
                    2
                } else {
                    3
                };
                let text = match c {
                    Cell::Text(s) => word(col.name, s, self.words, self.lang)
                        .map(str::to_string)
                        .unwrap_or_else(|| c.terminal_text(decimals)),
                    _ => c.terminal_text(decimals),
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
