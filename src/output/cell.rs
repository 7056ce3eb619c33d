//! A cell of an output table ([`Cell`]) and how its text is made safe: formula-guarded for
//! spreadsheets ([`guard_formula`]), control characters replaced for the terminal.

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

    /// Text for the terminal: numbers with `decimals` decimals, text with its control
    /// characters replaced ([`terminal_safe`]), integers as in CSV.
    pub(crate) fn terminal_text(&self, decimals: usize) -> String {
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
pub(crate) fn terminal_safe(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect()
}
