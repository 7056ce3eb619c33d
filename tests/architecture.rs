//! Issue 14: the shape of the source tree, checked on the source text itself.
//! - the top level of `src/` holds only `lib.rs`, `main.rs`, `error.rs`, `model.rs` and folders;
//! - no import cycle between top-level modules (a `crate::x` path in non-test code is an edge);
//! - `crate::cli` is used only under `src/cli/` (and `litmon::cli` only in `main.rs`);
//! - the numeric folders do no file IO and print nothing.
//!
//! Issue 24 adds, for every folder under `src/`:
//! - no circle between the modules of one folder (its files, its subfolders and its `mod.rs`);
//! - no file over 700 lines and no function over 100 lines (from its `fn` line to its closing
//!   brace, test functions included).

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
fn src_top_level_holds_only_lib_main_and_folders() {
    let files: BTreeSet<String> = std::fs::read_dir(src())
        .expect("src")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_file())
        .map(|p| p.file_name().expect("name").to_string_lossy().into_owned())
        .collect();
    assert!(files.contains("lib.rs") && files.contains("main.rs"));
    // `error` and `model` may be a file beside their folder (`error.rs` + `error/`).
    let allowed = ["error.rs", "lib.rs", "main.rs", "model.rs"];
    for f in &files {
        assert!(allowed.contains(&f.as_str()), "src/{f}: put it in a folder");
    }
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
    let cycle = find_cycle(&edges);
    assert!(cycle.is_none(), "import cycle: {:?}", cycle);
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

/// The text with comments, string and character literals blanked (newlines kept), so that
/// braces and paths are only those of the code.
fn code_only(text: &str) -> String {
    let b: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(b[i]));
                    i += 1;
                }
            }
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && (i == 0 || !(b[i - 1].is_alphanumeric() || b[i - 1] == '_'))
        {
            // Raw string r"…" / r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= b.len() {
                    break;
                }
                if b[j] == '"' && (1..=hashes).all(|k| b.get(j + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            for &ch in &b[i..j.min(b.len())] {
                out.push(blank(ch));
            }
            i = j;
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < b.len() {
                    out.push(blank(b[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{..}'), not a lifetime ('a).
            let close = if next == Some('\\') {
                (i + 2..b.len().min(i + 12)).find(|&k| b[k] == '\'')
            } else if b.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match close {
                Some(k) => {
                    for _ in i..=k {
                        out.push(' ');
                    }
                    i = k + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Functions longer than `max` lines: (first line, name, lines), from the `fn` line to the
/// closing brace of its body.
fn long_functions(code: &str, max: usize) -> Vec<(usize, String, usize)> {
    let chars: Vec<(usize, char)> = code.char_indices().collect();
    let line_of = |byte: usize| code[..byte].matches('\n').count() + 1;
    let mut out = Vec::new();
    let mut k = 0;
    while k + 3 < chars.len() {
        let at_word_start = k == 0 || {
            let p = chars[k - 1].1;
            !(p.is_alphanumeric() || p == '_')
        };
        if at_word_start
            && chars[k].1 == 'f'
            && chars[k + 1].1 == 'n'
            && chars[k + 2].1.is_whitespace()
        {
            let mut j = k + 2;
            while j < chars.len() && chars[j].1.is_whitespace() {
                j += 1;
            }
            let name: String = chars[j..]
                .iter()
                .map(|x| x.1)
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            // The body: the first `{` before any `;`.
            let mut m = j;
            while m < chars.len() && chars[m].1 != '{' && chars[m].1 != ';' {
                m += 1;
            }
            if !name.is_empty() && m < chars.len() && chars[m].1 == '{' {
                let mut depth = 0usize;
                let mut e = m;
                while e < chars.len() {
                    match chars[e].1 {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    e += 1;
                }
                let (first, last) = (
                    line_of(chars[k].0),
                    line_of(chars[e.min(chars.len() - 1)].0),
                );
                if last - first + 1 > max {
                    out.push((first, name, last - first + 1));
                }
            }
            k = j;
        } else {
            k += 1;
        }
    }
    out
}

#[test]
fn no_source_file_over_700_lines_and_no_function_over_100() {
    let mut files = Vec::new();
    sources(&src(), &mut files);
    let mut problems = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("read");
        let lines = text.lines().count();
        if lines > 700 {
            problems.push(format!("{}: {lines} lines", f.display()));
        }
        for (line, name, n) in long_functions(&code_only(&text), 100) {
            problems.push(format!("{}:{line}: fn {name} is {n} lines", f.display()));
        }
    }
    assert!(problems.is_empty(), "too long:\n{}", problems.join("\n"));
}

#[test]
fn the_length_checks_see_through_strings_and_comments() {
    // A 103-line function (fn line, 101 body lines, closing brace) whose body holds braces
    // inside a string, a char literal and a comment: only the real braces count.
    let mut f = String::from("fn big() {\n    let s = \"}}}\"; let c = '}'; // }\n");
    for _ in 0..100 {
        f.push_str("    x();\n");
    }
    f.push_str("}\nfn small<'a>(x: &'a str) -> &'a str { x }\n");
    let long = long_functions(&code_only(&f), 100);
    assert_eq!(long, vec![(1, "big".to_string(), 103)]);
    assert!(long_functions(&code_only(&f), 103).is_empty());
}

/// A module's path from its file: `src/data/plan.rs` → `data::plan`, `src/data/mod.rs` → `data`,
/// `src/error.rs` → `error`.
fn module_path(path: &Path) -> Vec<String> {
    let rel = path.strip_prefix(src()).expect("under src");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" && stem != "main" {
        parts.push(stem.to_string());
    }
    parts
}

/// Every path the code names through `crate::`, `super::` or `self::`, made absolute, with
/// `{a, b::c}` groups expanded. `module` is the naming file's module path.
fn absolute_paths(code: &str, module: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let word = |i: usize| {
        i == 0
            || !(bytes[i - 1].is_ascii_alphanumeric()
                || bytes[i - 1] == b'_'
                || bytes[i - 1] == b':')
    };
    let mut i = 0;
    while i < code.len() {
        let rest = &code[i..];
        let start = ["crate::", "super::", "self::"]
            .iter()
            .find(|p| rest.starts_with(**p))
            .filter(|_| word(i));
        let Some(_) = start else {
            i += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        };
        // Read the path up to its end, keeping one level of `{…}` groups.
        let mut end = i;
        let mut depth = 0;
        for (k, ch) in rest.char_indices() {
            let ok =
                ch.is_alphanumeric() || ch == '_' || ch == ':' || ch.is_whitespace() && depth > 0;
            match ch {
                '{' => depth += 1,
                '}' if depth > 0 => depth -= 1,
                ',' | '*' if depth > 0 => {}
                _ if ok => {}
                _ => {
                    end = i + k;
                    break;
                }
            }
            end = i + k + ch.len_utf8();
        }
        expand(&code[i..end], &[], &mut |segs| {
            let mut abs: Vec<String> = Vec::new();
            let mut it = segs.iter().peekable();
            match it.peek().map(|s| s.as_str()) {
                Some("crate") => {
                    it.next();
                }
                Some("self") => {
                    it.next();
                    abs = module.to_vec();
                }
                Some("super") => {
                    abs = module.to_vec();
                    while it.peek().map(|s| s.as_str()) == Some("super") {
                        it.next();
                        abs.pop();
                    }
                }
                _ => return,
            }
            abs.extend(it.cloned());
            out.push(abs);
        });
        i = end.max(i + 1);
    }
    out
}

/// Expands `a::{b, c::{d}}` into `a::b`, `a::c::d`.
fn expand(path: &str, prefix: &[String], emit: &mut dyn FnMut(Vec<String>)) {
    let path = path.trim();
    match path.find('{') {
        None => {
            let mut segs = prefix.to_vec();
            segs.extend(
                path.split("::")
                    .map(str::trim)
                    .filter(|s| !s.is_empty() && *s != "*")
                    .map(str::to_string),
            );
            if segs.last().is_some_and(|s| s == "self") {
                segs.pop();
            }
            emit(segs);
        }
        Some(open) => {
            let mut segs = prefix.to_vec();
            segs.extend(
                path[..open]
                    .split("::")
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
            );
            let inner = &path[open + 1..path.rfind('}').unwrap_or(path.len())];
            let (mut depth, mut from) = (0, 0);
            for (k, ch) in inner.char_indices() {
                match ch {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        expand(&inner[from..k], &segs, emit);
                        from = k + 1;
                    }
                    _ => {}
                }
            }
            if !inner[from..].trim().is_empty() {
                expand(&inner[from..], &segs, emit);
            }
        }
    }
}

/// One folder's modules: for each child (file stem or subfolder name, and "mod" for the folder's
/// own file) the code of every file under it.
struct Folder {
    path: Vec<String>,
    children: BTreeMap<String, Vec<(Vec<String>, String)>>,
}

/// The edges between one folder's modules. `a → b` when `a`'s code names `folder::b…`, or an
/// item the folder's own file re-exports from `b`; an item defined in the folder's own file is
/// the node "mod"; the folder's own file names a child `b` through a `b::` path or through a
/// name it re-exports from `b` (its `mod` and `pub use` lines are declarations, not edges).
fn folder_edges(folder: &Folder) -> BTreeMap<String, BTreeSet<String>> {
    let own = folder.children.get("mod").cloned().unwrap_or_default();
    // Names the folder's own file re-exports: name → child.
    let mut reexports: BTreeMap<String, String> = BTreeMap::new();
    for (module, code) in &own {
        for line in code.lines() {
            let l = line.trim_start();
            if let Some(rest) = l
                .strip_prefix("pub use ")
                .or_else(|| l.strip_prefix("pub(crate) use "))
            {
                let rest = rest.trim_end_matches(';');
                let mut full = String::from("self::");
                full.push_str(rest);
                expand(&full, &[], &mut |segs| {
                    if segs.len() >= 3 && segs[0] == "self" {
                        let child = segs[1].clone();
                        let name = segs.last().cloned().unwrap_or_default();
                        reexports.insert(name, child);
                    }
                });
            }
            let _ = module;
        }
    }
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let depth = folder.path.len();
    for (from, files) in &folder.children {
        for (module, code) in files {
            for abs in absolute_paths(code, module) {
                if abs.len() <= depth || abs[..depth] != folder.path[..] {
                    continue;
                }
                let first = &abs[depth];
                let to = if folder.children.contains_key(first) && first != "mod" {
                    first.clone()
                } else if let Some(child) = reexports.get(first) {
                    child.clone()
                } else {
                    "mod".to_string()
                };
                if &to != from {
                    edges.entry(from.clone()).or_default().insert(to);
                }
            }
            if from == "mod" {
                for line in code.lines() {
                    let l = line.trim_start();
                    if l.starts_with("mod ")
                        || l.starts_with("pub mod ")
                        || l.starts_with("pub(crate) mod ")
                        || l.starts_with("pub use ")
                        || l.starts_with("pub(crate) use ")
                    {
                        continue;
                    }
                    let words: Vec<&str> = l
                        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                        .collect();
                    for w in words {
                        let head = w.split("::").next().unwrap_or("");
                        if w.contains("::")
                            && folder.children.contains_key(head)
                            && head != "mod"
                            && !w.starts_with("self::")
                        {
                            edges
                                .entry("mod".into())
                                .or_default()
                                .insert(head.to_string());
                        } else if let Some(child) = reexports.get(w) {
                            edges.entry("mod".into()).or_default().insert(child.clone());
                        }
                    }
                }
            }
        }
    }
    edges
}

/// A cycle in a graph, if any.
fn find_cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
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
    edges
        .keys()
        .find_map(|m| visit(m, edges, &mut state, &mut Vec::new()))
}

/// Every folder under `src/` (not `src/` itself: the top level has its own test).
fn folders() -> Vec<Folder> {
    let mut files = Vec::new();
    sources(&src(), &mut files);
    let modules: Vec<(Vec<String>, String)> = files
        .iter()
        .map(|f| (module_path(f), code_only(&non_test(f))))
        .collect();
    let mut folder_paths: BTreeSet<Vec<String>> = BTreeSet::new();
    for (m, _) in &modules {
        for k in 1..m.len() {
            folder_paths.insert(m[..k].to_vec());
        }
    }
    folder_paths
        .into_iter()
        .map(|path| {
            let mut children: BTreeMap<String, Vec<(Vec<String>, String)>> = BTreeMap::new();
            for (m, code) in &modules {
                if m.len() >= path.len() && m[..path.len()] == path[..] {
                    let child = m.get(path.len()).cloned().unwrap_or_else(|| "mod".into());
                    children
                        .entry(child)
                        .or_default()
                        .push((m.clone(), code.clone()));
                }
            }
            Folder { path, children }
        })
        .collect()
}

#[test]
fn no_circle_between_the_modules_of_a_folder() {
    let all = folders();
    assert!(
        all.iter().any(|f| f.path == ["data"]),
        "the data folder is seen"
    );
    let mut problems = Vec::new();
    for folder in &all {
        if let Some(cycle) = find_cycle(&folder_edges(folder)) {
            problems.push(format!(
                "src/{}: {}",
                folder.path.join("/"),
                cycle.join(" → ")
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "circles inside folders:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_circle_check_sees_super_paths_groups_and_reexports() {
    let folder = |files: &[(&str, &str)]| Folder {
        path: vec!["f".into()],
        children: files
            .iter()
            .map(|(name, code)| {
                let module: Vec<String> = if *name == "mod" {
                    vec!["f".into()]
                } else {
                    vec!["f".into(), name.to_string()]
                };
                (name.to_string(), vec![(module, code.to_string())])
            })
            .collect(),
    };
    // a → b through a group, b → a through an item mod.rs re-exports from a.
    let circle = folder(&[
        ("mod", "mod a;\nmod b;\npub use a::Thing;\n"),
        ("a", "use super::{b::Other, x};\n"),
        ("b", "fn f(_: super::Thing) {}\n"),
    ]);
    let edges = folder_edges(&circle);
    assert!(edges["a"].contains("b") && edges["b"].contains("a"));
    assert!(find_cycle(&edges).is_some());
    // mod.rs using an item of its child, which uses an item defined in mod.rs: a circle too.
    let through_mod = folder(&[
        ("mod", "mod a;\npub struct Shared;\nfn g() { a::h(); }\n"),
        ("a", "pub fn h() -> crate::f::Shared { todo!() }\n"),
    ]);
    assert!(find_cycle(&folder_edges(&through_mod)).is_some());
    // A layered folder: no circle.
    let layered = folder(&[
        (
            "mod",
            "mod a;\nmod types;\npub use a::run;\npub use types::Shared;\n",
        ),
        ("a", "use super::types::Shared;\n"),
        ("types", "pub struct Shared;\n"),
    ]);
    assert_eq!(find_cycle(&folder_edges(&layered)), None);
}
