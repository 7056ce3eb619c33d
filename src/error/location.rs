//! Where in an input a problem is: file, sheet, line, column ([`Location`]).

use std::fmt;

use super::Lang;

/// Where in an input a problem was found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    /// File name as the user gave it (or `embedded:data/…` for the built-in data).
    pub file: String,
    /// 1-based line number, when known.
    pub line: Option<u64>,
    /// Column name or number, when known.
    pub column: Option<String>,
}

impl Location {
    /// A whole file, without line or column.
    pub fn file(file: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            line: None,
            column: None,
        }
    }

    /// A line of a file (1-based).
    pub fn at(file: impl Into<String>, line: u64) -> Self {
        Location {
            file: file.into(),
            line: Some(line),
            column: None,
        }
    }

    /// The location narrowed to a column (a name or a 1-based number; shown as
    /// `column N` when it starts with a digit, else `key NAME`).
    pub fn with_column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        match &self.column {
            Some(col) if col.starts_with(|c: char| c.is_ascii_digit()) => {
                write!(f, ", column {col}")?
            }
            Some(key) => write!(f, ", key {key}")?,
            None => {}
        }
        Ok(())
    }
}

impl Location {
    /// The location in `lang`: `x.csv:3, column 4 (value)` in English, `x.csv 第3行，第4列（value）`
    /// in Chinese (the file name and the numbers kept as given).
    pub fn render(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        let mut out = self.file.clone();
        if let Some(line) = self.line {
            out.push_str(&format!(" 第{line}行"));
        }
        match &self.column {
            Some(col) if col.starts_with(|c: char| c.is_ascii_digit()) => {
                let digits = col.chars().take_while(|c| c.is_ascii_digit()).count();
                let (n, rest) = col.split_at(digits);
                let rest = rest.trim();
                match rest.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
                    Some(name) => out.push_str(&format!("，第{n}列（{name}）")),
                    None if rest.is_empty() => out.push_str(&format!("，第{n}列")),
                    None => out.push_str(&format!("，第{n}列 {rest}")),
                }
            }
            Some(key) => out.push_str(&format!("，键 {key}")),
            None => {}
        }
        out
    }
}
