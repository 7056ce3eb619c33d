//! Errors of the library. Every input error names the file, the line and the column
//! (when there is one) and says what was expected, so that a user can fix it.

use std::fmt;

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
    pub fn file(file: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            line: None,
            column: None,
        }
    }

    pub fn at(file: impl Into<String>, line: u64) -> Self {
        Location {
            file: file.into(),
            line: Some(line),
            column: None,
        }
    }

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

/// The library's error type.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input data: the user must fix the file (exit status 2).
    #[error("{location}: {message}")]
    Input { location: Location, message: String },

    /// A command-line value that cannot be used (exit status 2).
    #[error("{0}")]
    Usage(String),

    /// A chart or report could not be drawn (exit status 1).
    #[error("{0}")]
    Render(String),

    /// A file could not be read or written (exit status 1 when writing, 2 when reading).
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    pub fn input(location: Location, message: impl Into<String>) -> Self {
        Error::Input {
            location,
            message: message.into(),
        }
    }

    /// True for errors caused by the user's input or flags (exit status 2).
    pub fn is_bad_input(&self) -> bool {
        match self {
            Error::Input { .. } | Error::Usage(_) => true,
            Error::Render(_) => false,
            Error::Io { source, .. } => matches!(
                source.kind(),
                std::io::ErrorKind::NotFound
                    | std::io::ErrorKind::PermissionDenied
                    | std::io::ErrorKind::InvalidData
            ),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
