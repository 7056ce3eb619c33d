//! The command line, in ripgrep's layers: the flags as clap parses them ([`args`]), the
//! checked configuration ([`config`]: the shared [`context`] and one task per command), and
//! [`run`], which runs it. One module per command or command family: [`assess`],
//! [`project`], [`targets`], [`backtest`], [`sheets`] (plans, indicators), [`sae`] (the
//! table commands, rendered by [`tables`]), [`chart`], [`estimate`] (with [`survey_input`],
//! which reads its files); [`serve`] is the local web application of `litmon serve`.
//! Shared pieces: [`mod@format`] (`--format`), [`filter`] (`--jurisdiction`, `--level`),
//! [`console`] (what is said on standard error, `--quiet`), [`errors`] (library errors
//! worded with flags).

pub mod args;
pub mod assess;
pub mod backtest;
pub mod chart;
pub mod config;
pub mod console;
pub mod context;
pub mod errors;
pub mod estimate;
pub mod filter;
pub mod format;
pub mod project;
pub mod run;
pub mod sae;

pub mod serve;
pub mod sheets;
pub mod survey_input;
pub mod tables;
pub mod targets;

pub use console::{quiet, say, set_quiet};
