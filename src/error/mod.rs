//! Errors of the library. Every input error names the file, the line and the column
//! (when there is one) and says what was expected, so that a user can fix it.

/// Warnings and notes, typed.
pub mod diagnostic;
/// Errors of the survey layer ([`crate::survey`]): typed, worded without flag names.
pub mod survey;
/// The output language and messages in both languages.
pub mod text;

mod library;
mod location;
mod read;
mod unknown;

pub use diagnostic::{Diagnostic, DiagnosticKind, Severity};
pub use library::{Error, Problems, Result};
pub use location::Location;
pub use read::{io_text, ReadProblem, RecordError};
pub use text::{Lang, Text};
pub use unknown::UnknownName;
