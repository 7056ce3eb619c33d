//! The command line: clap definitions ([`args`]), the flags → checked configuration step and
//! the commands ([`app`]), one module per command family ([`chart`], [`estimate`], [`sae`]);
//! [`serve`] is the local web application of `litmon serve`; [`survey_input`] reads the files of `estimate` for the survey estimator, which does no IO.

pub mod app;
pub mod args;
pub mod chart;
pub mod errors;
pub mod estimate;
pub mod sae;
pub mod serve;
pub mod survey_input;

use std::sync::atomic::{AtomicBool, Ordering};

/// `--quiet`: only errors reach standard error (set once, by [`app::Config::from_cli`]).
static QUIET: AtomicBool = AtomicBool::new(false);

/// Sets `--quiet` for this process.
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// Whether `--quiet` was given.
pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// Prints one warning, note or hint to standard error as `litmon: LINE`, unless `--quiet`.
pub fn say(line: &str) {
    if !quiet() {
        eprintln!("litmon: {line}");
    }
}
