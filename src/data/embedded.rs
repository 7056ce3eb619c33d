//! The default dataset compiled into the binary: `data/jurisdictions.csv`,
//! `data/observations.csv`, `data/plans/*.toml` and every `seeds/*.toml`.

use super::{Input, Sources};

/// `(path relative to the crate root, contents)` of every embedded file.
pub const FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/embedded_files.rs"));

/// The embedded default as [`Sources`]; labels start with `embedded:`.
pub fn sources() -> Sources {
    let mut s = Sources::default();
    for (path, text) in FILES {
        let input = Input::new(format!("embedded:{path}"), *text);
        if path.ends_with("jurisdictions.csv") {
            s.jurisdictions.push(input);
        } else if path.ends_with("observations.csv") {
            s.observations.push(input);
        } else if path.ends_with(".toml") {
            s.plans.push(input);
        }
    }
    s
}
