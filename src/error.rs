//! Errors of the library. Every input error names the file, the line and the column
//! (when there is one) and says what was expected, so that a user can fix it.

/// Errors of the survey layer ([`crate::survey`]): typed, worded without flag names.
pub mod survey;

use std::fmt;

/// A name that is none of an enumeration's values (a `--lang`, `--ci` or `lonely_psu` given as
/// text): what was given and the canonical names expected. Every named enumeration of the
/// library ([`crate::model::Level`], [`crate::trend::ModelKind`], [`crate::survey::ci::CiMethod`],
/// …) parses with [`std::str::FromStr`] and returns this error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected {}, found {given:?}", expected.join(", "))]
pub struct UnknownName {
    /// The text as given.
    pub given: String,
    /// The canonical names (the enumeration's `NAMES`).
    pub expected: &'static [&'static str],
}

impl UnknownName {
    /// The error for `given`, which is none of `expected`.
    pub fn new(given: &str, expected: &'static [&'static str]) -> Self {
        UnknownName {
            given: given.to_string(),
            expected,
        }
    }
}

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

/// The library's error type.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input data: the user must fix the file (exit status 2).
    #[error("{location}: {message}")]
    Input {
        /// Where the problem is.
        location: Location,
        /// What was expected, in the user's terms.
        message: String,
    },

    /// Several problems of the inputs, reported at once so that a user fixes them in one
    /// pass (exit status 2): one line each, in the single problem's own words, at most
    /// [`Problems::MAX`] of them and then `… and N more`. Built by [`Problems`].
    #[error("{}", problems_text(problems, *more))]
    Problems {
        /// The problems shown, at most [`Problems::MAX`].
        problems: Vec<Error>,
        /// How many more were found and not shown.
        more: usize,
    },

    /// A command-line value that cannot be used (exit status 2).
    #[error("{0}")]
    Usage(String),

    /// A chart or report could not be drawn (exit status 1).
    #[error("{0}")]
    Render(String),

    /// A problem found by the survey estimator, in its own terms (exit status 2). The command
    /// line words it for the user with the flag to fix (`litmon estimate`).
    #[error(transparent)]
    Survey(#[from] survey::SurveyError),

    /// An input file that cannot be read as asked, where a reading option (its text
    /// encoding, its sheet) is the way out (exit status 2). Worded here without the command
    /// line; the command line names the option to use.
    #[error("{location}: {problem}")]
    Read {
        /// Where the problem is.
        location: Location,
        /// What is wrong, typed.
        problem: ReadProblem,
    },

    /// A table too long for one Excel sheet (exit status 1): CSV holds it.
    #[error("XLSX workbook: cannot write {rows} rows to one sheet (Excel's limit is {limit}); write it as CSV")]
    SheetTooLong {
        /// Rows of the table.
        rows: usize,
        /// Excel's limit of rows on a sheet (the header row excluded).
        limit: usize,
    },

    /// An output row type that cannot be written as cells: a programming error (exit status
    /// 1).
    #[error(transparent)]
    Record(#[from] RecordError),

    /// A file could not be read or written: exit status 2 when the path is at fault (see
    /// [`Error::is_bad_input`]), 1 for a runtime failure such as a full disk.
    #[error("{path}: {source}")]
    Io {
        /// The path as the user gave it.
        path: String,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// An [`Error::Input`] at `location` with `message` (what was expected).
    pub fn input(location: Location, message: impl Into<String>) -> Self {
        Error::Input {
            location,
            message: message.into(),
        }
    }

    /// True for errors caused by the user's input or flags (exit status 2).
    pub fn is_bad_input(&self) -> bool {
        match self {
            Error::Input { .. } | Error::Usage(_) | Error::Survey(_) | Error::Read { .. } => true,
            Error::Problems { problems, .. } => problems.iter().all(Error::is_bad_input),
            Error::Render(_) | Error::Record(_) | Error::SheetTooLong { .. } => false,
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

/// Why an input's text or sheet cannot be read as asked ([`Error::Read`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadProblem {
    /// Read as UTF-8, and a byte is not UTF-8.
    #[error("expected UTF-8 text, found byte 0x{byte:02X}; the file looks like GBK: read it as GBK or save it as \"CSV UTF-8\"")]
    NotUtf8 {
        /// The first byte that is not UTF-8.
        byte: u8,
    },
    /// Read as GBK/GB18030, and the bytes are not.
    #[error("expected GBK/GB18030 text, found bytes that are not; read it as UTF-8")]
    NotGbk,
    /// Read with the encoding detected, and the bytes are neither UTF-8 nor GBK/GB18030.
    #[error("expected text in UTF-8 or GBK/GB18030, found bytes that are neither (is it a binary file?); save it as \"CSV UTF-8\" or name its encoding")]
    NeitherUtf8NorGbk,
    /// A workbook has no sheet of the name asked for.
    #[error("no sheet named {want:?}; the sheets are: {}", sheets.join(", "))]
    NoSuchSheet {
        /// The sheet asked for.
        want: String,
        /// The workbook's sheets, in order.
        sheets: Vec<String>,
    },
}

/// An output row type that cannot be written as cells (`crate::output::record`): found by
/// the tests of each table, never by a user's data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("output record: {0}")]
pub struct RecordError(pub String);

/// Result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// `FILE: N problems; fix them all and run again:` (the file when all are in one) and
/// one indented line per problem.
fn problems_text(problems: &[Error], more: usize) -> String {
    let files: Vec<Option<&str>> = problems
        .iter()
        .map(|e| match e {
            Error::Input { location, .. } => Some(location.file.as_str()),
            _ => None,
        })
        .collect();
    let place = match files.first() {
        Some(Some(first)) if files.iter().all(|f| f == &Some(*first)) => format!("{first}: "),
        _ => String::new(),
    };
    let mut out = format!(
        "{place}{} problems; fix them all and run again:",
        problems.len() + more
    );
    for p in problems {
        out.push_str("\n  ");
        out.push_str(&p.to_string());
    }
    if more > 0 {
        out.push_str(&format!("\n  … and {more} more"));
    }
    out
}

/// Collects the problems of an input to report them together: the first [`Problems::MAX`]
/// are kept, the rest counted.
///
/// ```
/// use litmon::error::{Error, Location, Problems};
/// let mut p = Problems::default();
/// assert!(p.check(Ok::<_, Error>(1)).is_some());
/// for line in 2..=4 {
///     p.push(Error::input(Location::at("o.csv", line), "expected a number"));
/// }
/// let e = p.into_result().unwrap_err();
/// assert_eq!(
///     e.to_string(),
///     "o.csv: 3 problems; fix them all and run again:\n  o.csv:2: expected a number\n  o.csv:3: expected a number\n  o.csv:4: expected a number"
/// );
/// ```
#[derive(Debug, Default)]
pub struct Problems {
    problems: Vec<Error>,
    more: usize,
}

impl Problems {
    /// Problems listed one by one; the others are counted (`… and N more`).
    pub const MAX: usize = 20;

    /// Records a problem (a nested [`Error::Problems`] is flattened).
    pub fn push(&mut self, e: Error) {
        match e {
            Error::Problems { problems, more } => {
                for p in problems {
                    self.push(p);
                }
                self.more += more;
            }
            e if self.problems.len() < Self::MAX => self.problems.push(e),
            _ => self.more += 1,
        }
    }

    /// The value of `r`, or `None` after recording its error.
    pub fn check<T>(&mut self, r: Result<T>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.push(e);
                None
            }
        }
    }

    /// True when no problem was recorded.
    pub fn is_empty(&self) -> bool {
        self.problems.is_empty()
    }

    /// `Ok` without problems; one problem as itself (its message unchanged); several as
    /// [`Error::Problems`].
    pub fn into_result(mut self) -> Result<()> {
        match (self.problems.len(), self.more) {
            (0, _) => Ok(()),
            (1, 0) => Err(self.problems.remove(0)),
            _ => Err(Error::Problems {
                problems: self.problems,
                more: self.more,
            }),
        }
    }
}

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
