//! Tables and their formats (terminal table, CSV, JSON, Markdown, XLSX), and where litmon
//! writes.
//!
//! Every table command builds a [`Table`] (its [`Column`]s described once: name, unit,
//! place in the terminal view; typed [`Cell`]s); each format is one writer over it
//! ([`export`]: [`TableWriter`]), so adding a format never touches the commands.
//!
//! - [`cell`]: a cell and its safe text; [`table`]: the table and its columns;
//!   [`format`](mod@format): the format names; [`export`]: one writer per format.
//! - [`record`]: a row type's fields as the table's columns; [`tables`]: the tables of the
//!   commands.
//! - [`termtable`]: the terminal's width and words; [`term`]: progress bars;
//!   [`warnings`]: grouped warnings on standard error.
//! - [`safety`]: where litmon may write (atomic files, report directories, safe names);
//!   [`stdout`]: printing a result.

pub mod cell;
pub mod export;
pub mod format;
pub mod record;
pub mod safety;
pub mod stdout;
pub mod table;
pub mod tables;
pub mod term;
pub mod termtable;
pub mod warnings;

pub use cell::{guard_formula, looks_like_formula, Cell};
pub use export::{workbook_xlsx, MAX_TERMINAL_ROWS};
pub use format::Format;
pub use safety::write_file as write_atomic;
pub use stdout::{record_stdout_state, write_stdout};
pub use table::{Column, InTerminal, Table, TableWriter, Unit};
