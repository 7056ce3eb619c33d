//! What litmon says on standard error besides errors (warnings, notes, hints), and
//! `--quiet`, which silences it.

use std::sync::atomic::{AtomicBool, Ordering};

/// `--quiet`: only errors reach standard error (set once, by
/// [`crate::cli::config::Config::from_cli`]).
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
