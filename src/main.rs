//! The `litmon` binary: parse flags, validate them, run, map errors to exit codes
//! (0 success, 1 runtime failure, 2 bad input or usage).

use clap::Parser;

fn main() {
    // Before any file is opened (a closed descriptor 1 would be reused by the next open).
    litmon::output::record_stdout_state();
    let cli = match litmon::cli::args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
            if litmon::cli::errors::lang_of_args(&args) == litmon::model::Lang::Zh {
                if let Some(text) = litmon::cli::errors::clap_error_zh(&e) {
                    eprintln!("litmon: 错误：{text}");
                    std::process::exit(2);
                }
            }
            e.exit()
        }
    };
    let result = litmon::cli::config::Config::from_cli(&cli)
        .and_then(|cfg| litmon::cli::run::run(&cfg))
        .map_err(litmon::cli::errors::worded);
    if let Err(e) = result {
        // In the language of `--lang`; an IO error already ends with the system's own text
        // (English) or its Chinese wording.
        eprintln!("litmon: {}", error_line(&e, cli.global.lang));
        std::process::exit(if e.is_bad_input() { 2 } else { 1 });
    }
}

/// `error: …` (English) or `错误：…` (Chinese).
fn error_line(e: &litmon::Error, lang: litmon::model::Lang) -> String {
    match lang {
        litmon::model::Lang::Zh => format!("错误：{}", e.render(lang)),
        litmon::model::Lang::En => format!("error: {}", e.render(lang)),
    }
}
