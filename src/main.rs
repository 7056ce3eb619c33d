//! The `litmon` binary: parse flags, validate them, run, map errors to exit codes
//! (0 success, 1 runtime failure, 2 bad input or usage).

use clap::Parser;

fn main() {
    // Before any file is opened (a closed descriptor 1 would be reused by the next open).
    litmon::output::record_stdout_state();
    let cli = litmon::cli::args::Cli::parse();
    let result = litmon::cli::app::Config::from_cli(&cli)
        .and_then(|cfg| litmon::cli::app::run(&cfg))
        .map_err(litmon::cli::errors::worded);
    if let Err(e) = result {
        let err = anyhow::Error::new(e);
        // `{err}`, not `{err:#}`: an IO error already ends with the OS's text.
        eprintln!("litmon: error: {err}");
        let code = match err.downcast_ref::<litmon::Error>() {
            Some(e) if e.is_bad_input() => 2,
            _ => 1,
        };
        std::process::exit(code);
    }
}
