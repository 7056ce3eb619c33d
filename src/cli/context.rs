//! The checked settings every command shares (ripgrep's "high-level arguments" without the
//! command): the dataset to load, the indicator, the year, the trend model, the rows to
//! keep, the language, and where and how the result is written ([`Output`]).

use std::path::PathBuf;

use crate::assess::AssessConfig;
use crate::cli::console::say;
use crate::cli::filter::RowFilter;
use crate::data::{load, LoadOptions};
use crate::error::{Diagnostic, DiagnosticKind, Error, Result};
use crate::model::{Dataset, Lang};
use crate::output::safety::Protected;
use crate::output::{write_atomic, Format};
use crate::trend::TrendConfig;

/// Where a command's result goes and in which format.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    /// The format (a table format; charts, reports and exports keep [`Format::Table`]).
    pub format: Format,
    /// `-o`: output file or directory; `None` writes to standard output.
    pub path: Option<PathBuf>,
}

impl Output {
    /// Writes `bytes` atomically to `-o`, else to standard output.
    pub fn write(&self, bytes: &[u8]) -> Result<()> {
        match &self.path {
            Some(path) => write_atomic(path, bytes),
            None => crate::output::write_stdout(bytes),
        }
    }
}

/// The settings shared by every command, checked.
#[derive(Debug, Clone)]
pub struct Context {
    /// Where to read the dataset from (`--data`, `--jurisdictions`, `--observations`,
    /// `--plans`, encoding, sheet).
    pub load: LoadOptions,
    /// `--as-of`: ignore observations after this year.
    pub as_of: Option<i32>,
    /// `--indicator`: the indicator id (default `literacy_rate`).
    pub indicator: String,
    /// `--lang`: language of labels and reasons.
    pub lang: Lang,
    /// Trend model settings (`--model`).
    pub trend: TrendConfig,
    /// `--jurisdiction` and `--level` of a table command (keep every row when empty).
    pub filter: RowFilter,
    /// `--verbose`: print every warning.
    pub verbose: bool,
    /// `--format` and `-o`.
    pub output: Output,
    /// The input files, which no output may replace.
    pub protected: Protected,
}

impl Context {
    /// The settings of the assessment behind the status table, the charts and the page.
    pub fn assess_config(&self) -> AssessConfig {
        AssessConfig {
            indicator: self.indicator.clone(),
            as_of: self.as_of,
            trend: self.trend,
            lang: self.lang,
            ..AssessConfig::default()
        }
    }

    /// Prints warnings to standard error, a kind seen more than five times once unless
    /// `--verbose` ([`crate::output::warnings::grouped`]).
    pub fn say_grouped(&self, warnings: &[Diagnostic]) {
        for w in crate::output::warnings::grouped(warnings, self.verbose, "--verbose", self.lang) {
            say(&w);
        }
    }

    /// Loads the dataset, restricted to `--as-of`, and prints its warnings; an indicator no
    /// plan or observation defines is a usage error.
    pub fn dataset(&self) -> Result<Dataset> {
        let mut ds = load(&self.load)?;
        if let Some((year, d)) = self.as_of.and_then(|y| ds.restrict_to(y).map(|d| (y, d))) {
            let span = if d.last > d.first {
                format!("{}–{}", d.first, d.last)
            } else {
                d.last.to_string()
            };
            let (n, s) = (d.count, if d.count == 1 { "" } else { "s" });
            let message = text!(
                "已忽略 {span} 年的 {n} 个观测值",
                "{n} observation{s} from {span} ignored"
            );
            let note = Diagnostic::note(DiagnosticKind::AsOfIgnored, message);
            ds.warnings.push(note.about(format!("--as-of {year}")));
        }
        self.say_grouped(&ds.warnings);
        if ds.indicator_spec(&self.indicator).is_none()
            && !ds
                .observations
                .iter()
                .any(|o| o.indicator == self.indicator)
        {
            return Err(Error::usage(text!(
                "--indicator：没有方案或观测值定义了 {:?}（总指标为 literacy_rate）",
                "--indicator: no plan or observation defines {:?} (the headline is literacy_rate)",
                self.indicator
            )));
        }
        Ok(ds)
    }
}
