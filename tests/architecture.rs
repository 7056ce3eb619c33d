//! Issue 14: the shape of the source tree, checked on the source text itself.
//! - the top level of `src/` holds only `lib.rs`, `main.rs`, `error.rs`, `model.rs` and folders;
//! - no import cycle between top-level modules (a `crate::x` path in non-test code is an edge);
//! - `crate::cli` is used only under `src/cli/` (and `litmon::cli` only in `main.rs`);
//! - the numeric folders do no file IO and print nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read src") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The file's text before its first `#[cfg(test)]` (test modules sit at the end).
fn non_test(path: &Path) -> String {
    let s = std::fs::read_to_string(path).expect("read source");
    match s.find("#[cfg(test)]") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// `crate::NAME` references outside comments.
fn crate_refs(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn top_module(path: &Path) -> String {
    let rel = path.strip_prefix(src()).expect("under src");
    let first = rel.components().next().expect("component");
    first
        .as_os_str()
        .to_string_lossy()
        .trim_end_matches(".rs")
        .to_string()
}

#[test]
fn src_top_level_holds_only_the_four_files_and_folders() {
    let mut files: Vec<String> = std::fs::read_dir(src())
        .expect("src")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_file())
        .map(|p| p.file_name().expect("name").to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["error.rs", "lib.rs", "main.rs", "model.rs"]);
}

#[test]
fn top_level_modules_have_no_import_cycle() {
    let mut files = Vec::new();
    sources(&src(), &mut files);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in &files {
        let top = top_module(f);
        if top == "lib" || top == "main" {
            continue;
        }
        for r in crate_refs(&non_test(f)) {
            if r != top {
                edges.entry(top.clone()).or_default().insert(r);
            }
        }
    }
    // Depth-first search for a back edge.
    fn visit(
        m: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match state.get(m) {
            Some(1) => {
                let start = path.iter().position(|p| p == m).unwrap_or(0);
                let mut cycle = path[start..].to_vec();
                cycle.push(m.to_string());
                return Some(cycle);
            }
            Some(_) => return None,
            None => {}
        }
        state.insert(m.to_string(), 1);
        path.push(m.to_string());
        for n in edges.get(m).into_iter().flatten() {
            if let Some(c) = visit(n, edges, state, path) {
                return Some(c);
            }
        }
        path.pop();
        state.insert(m.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for m in edges.keys() {
        let cycle = visit(m, &edges, &mut state, &mut Vec::new());
        assert!(cycle.is_none(), "import cycle: {:?}", cycle);
    }
    // The check can fail: a known layering holds (cli on top, model near the bottom).
    assert!(edges["cli"].contains("assess"));
    assert!(!edges.get("model").is_some_and(|e| e.contains("cli")));
}

#[test]
fn the_cli_layer_is_used_only_by_itself_and_main() {
    let mut files = Vec::new();
    sources(&src(), &mut files);
    for f in &files {
        let text = std::fs::read_to_string(f).expect("read");
        let top = top_module(f);
        if top != "cli" {
            assert!(
                !text.contains("crate::cli"),
                "{} uses crate::cli",
                f.display()
            );
        }
        if top != "main" {
            assert!(
                !text.contains("litmon::cli"),
                "{} uses litmon::cli",
                f.display()
            );
        }
    }
}
#[test]
fn numeric_folders_do_no_file_io_and_print_nothing() {
    let forbidden = [
        "std::fs",
        "File::",
        "println!",
        "eprintln!",
        "print!(",
        "ProgressBar",
        "output::term",
    ];
    for dir in ["trend", "survey", "sae", "assess"] {
        let mut files = Vec::new();
        sources(&src().join(dir), &mut files);
        assert!(!files.is_empty(), "{dir}");
        for f in &files {
            let text = non_test(f);
            for word in forbidden {
                for (n, line) in text.lines().enumerate() {
                    let code = line.split("//").next().unwrap_or("");
                    assert!(
                        !code.contains(word),
                        "{}:{}: {word} in a numeric module",
                        f.display(),
                        n + 1
                    );
                }
            }
        }
    }
}
