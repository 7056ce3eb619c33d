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

    /// A file could not be read or written: exit status 2 when the path is at fault (see
    /// [`Error::is_bad_input`]), 1 for a runtime failure such as a full disk.
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
            // A path the user gave that cannot be read or written as asked: missing, not
            // permitted, read-only, a directory given as a file (or the reverse), a
            // symlink loop. A full disk or a failing device stays a runtime failure.
            Error::Io { source, .. } => {
                use std::io::ErrorKind as K;
                // ELOOP (a symlink loop) has no stable ErrorKind yet.
                const ELOOP: i32 = if cfg!(target_os = "linux") { 40 } else { 62 };
                matches!(
                    source.kind(),
                    K::NotFound
                        | K::PermissionDenied
                        | K::InvalidData
                        | K::InvalidInput
                        | K::ReadOnlyFilesystem
                        | K::IsADirectory
                        | K::NotADirectory
                        | K::AlreadyExists
                ) || (cfg!(unix) && source.raw_os_error() == Some(ELOOP))
            }
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::Error;

    fn io(code: i32) -> Error {
        Error::Io {
            path: "out.csv".into(),
            source: std::io::Error::from_raw_os_error(code),
        }
    }

    /// EROFS (30) and EACCES (13) are the user's choice of output: exit 2, like every other
    /// path problem; ENOSPC (28, a full disk) stays a runtime failure (exit 1). Linux numbers.
    #[cfg(target_os = "linux")]
    #[test]
    fn read_only_and_permission_errors_are_bad_input_a_full_disk_is_not() {
        assert!(io(30).is_bad_input());
        assert!(io(13).is_bad_input());
        assert!(!io(28).is_bad_input());
    }
}
