//! One input file of a dataset ([`Input`]: its label, decoded text or spreadsheet table,
//! checksum) and the inputs of one dataset ([`Sources`]).

use std::path::Path;

use super::table;
use super::table::{decode_text, read_bytes, RawTable, ReadOptions, TextEncoding};
use crate::error::Result;
use crate::model::{InputFile, InputRole};

/// Reads a small text input (a design file, rscales) within the size cap of every table
/// ([`table::MAX_INPUT_BYTES`]), decoded as [`TextEncoding::Auto`].
pub(crate) fn read_small_text(path: &Path) -> Result<String> {
    let bytes = read_bytes(path)?;
    decode_text(&path.display().to_string(), &bytes, TextEncoding::Auto)
}

/// One input with the label used in messages (usually the file path): text (CSV or TOML,
/// already decoded) or a table read from a spreadsheet.
#[derive(Debug, Clone)]
pub struct Input {
    /// Label used in messages, usually the file path (`embedded:…` for built-in data).
    pub label: String,
    /// The decoded text or the spreadsheet table.
    pub content: Content,
    /// Given by `--plans` (or `--observations`, `--jurisdictions`) on top of the base
    /// dataset (embedded or `--data DIR`): a plan from it replaces a base plan of the same
    /// jurisdiction and period, a registry row the base row of the same id, with a note.
    pub overrides: bool,
    /// SHA-256 of the bytes read (before decoding), in lowercase hex.
    pub sha256: String,
    /// Length of the bytes read.
    pub bytes: usize,
}

/// What an [`Input`] holds.
#[derive(Debug, Clone)]
pub enum Content {
    /// Decoded text: CSV or TOML.
    Text(String),
    /// One sheet of a workbook.
    Table(RawTable),
}

impl Input {
    /// A text input (CSV or TOML).
    pub fn new(label: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        Input {
            label: label.into(),
            sha256: sha256_hex(text.as_bytes()),
            bytes: text.len(),
            content: Content::Text(text),
            overrides: false,
        }
    }

    /// Reads a file: a workbook (detected from its first bytes) or text in the encoding of
    /// `opts` (see [`TextEncoding`]).
    pub fn read_with(path: &Path, opts: &ReadOptions) -> Result<Input> {
        let bytes = table::read_bytes(path)?;
        Input::from_bytes(path.display().to_string(), &bytes, opts)
    }

    /// Like [`Input::read_with`] on bytes in memory.
    pub fn from_bytes(label: impl Into<String>, bytes: &[u8], opts: &ReadOptions) -> Result<Input> {
        let label = label.into();
        let content = if table::is_spreadsheet(bytes) {
            Content::Table(RawTable::from_spreadsheet(
                &label,
                bytes,
                opts.sheet.as_deref(),
            )?)
        } else {
            Content::Text(decode_text(&label, bytes, opts.encoding)?)
        };
        Ok(Input {
            label,
            content,
            overrides: false,
            sha256: sha256_hex(bytes),
            bytes: bytes.len(),
        })
    }

    /// The text of a text input.
    pub fn text(&self) -> Option<&str> {
        match &self.content {
            Content::Text(t) => Some(t),
            Content::Table(_) => None,
        }
    }
}

/// SHA-256 of `bytes` in lowercase hex.
fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The raw inputs of a dataset, before validation.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// Registry inputs (`jurisdictions.csv` layout).
    pub jurisdictions: Vec<Input>,
    /// Observation inputs (`observations.csv` layout).
    pub observations: Vec<Input>,
    /// Plan TOML inputs.
    pub plans: Vec<Input>,
    /// Notes about what a directory scan left out (a FIFO or device named `*.toml`), passed
    /// on as warnings of the dataset.
    pub notes: Vec<crate::error::Diagnostic>,
}

impl Sources {
    /// The inputs as the files they were read from: registry, observations, then plans.
    pub fn files(&self) -> Vec<InputFile> {
        let of = |inputs: &[Input], role: InputRole| -> Vec<InputFile> {
            inputs
                .iter()
                .map(|i| InputFile {
                    label: i.label.clone(),
                    role,
                    sha256: i.sha256.clone(),
                    bytes: i.bytes,
                })
                .collect()
        };
        let mut v = of(&self.jurisdictions, InputRole::Jurisdictions);
        v.extend(of(&self.observations, InputRole::Observations));
        v.extend(of(&self.plans, InputRole::Plan));
        v
    }
}
